import { describe, expect, it } from 'vitest';
import type { ApiServices } from '../../../../electron/core/http/api-server.ts';
import { createApiServer } from '../../../../electron/core/http/api-server.ts';
import { openApiDocument } from '../../../../electron/core/http/openapi.ts';
import { SYNC_REPLY_FIELDS } from '../../../../electron/core/http/sync-reply.ts';
import { silentLogger } from '../../../../electron/core/logger.ts';
import { answerProblems, openApiProblems } from '../../../integration/openapi-conformance.ts';

type Doc = Record<string, unknown> & {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: { name: string; description?: string }[]; responses: Record<string, unknown> }
    >
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};
const copy = (): Doc => structuredClone(openApiDocument) as unknown as Doc;
const doc = copy();

describe('/openapi.json follows the OpenAPI 3.1 rules', () => {
  it('breaks none of them', () => {
    expect(openApiProblems(openApiDocument)).toEqual([]);
  });

  it.each<[string, (d: Doc) => void, RegExp]>([
    ['no info.version', (d) => delete (d.info as Record<string, unknown>).version, /info\.version/],
    [
      'a field OpenAPI does not have',
      (d) => ((d.paths['/recordings']!.get! as Record<string, unknown>).returns = {}),
      /unknown field "returns"/,
    ],
    [
      'a response code that is not one',
      (d) => (d.paths['/sync']!.get!.responses['20'] = { description: 'x' }),
      /"20" is not a response code/,
    ],
    [
      'a response without a description',
      (d) => (d.paths['/sync']!.get!.responses['200'] = {}),
      /description/,
    ],
    [
      'a $ref to nothing',
      (d) => (d.paths['/sync']!.get!.responses['200'] = { $ref: '#/components/responses/Nope' }),
      /does not resolve/,
    ],
    [
      'a path parameter that is not required',
      (d) =>
        ((d.paths['/recordings/{dispatch_id}']!.get!.parameters![0] as Record<string, unknown>).required =
          false),
      /must be required/,
    ],
    [
      'a path variable without its parameter',
      (d) => {
        d.paths['/recordings/{id}'] = d.paths['/recordings/{dispatch_id}']!;
        delete d.paths['/recordings/{dispatch_id}'];
      },
      /\{id\} has no path parameter/,
    ],
    [
      'an operationId used twice',
      (d) => ((d.paths['/sync']!.post! as Record<string, unknown>).operationId = 'getSyncStatus'),
      /used twice/,
    ],
    [
      'a schema type JSON Schema does not have',
      (d) => (d.components.schemas.ErrorDetail!.properties!.detail = { type: 'text' }),
      /"text" is not a JSON Schema type/,
    ],
    [
      'a security scheme that is not declared',
      (d) => (d.security = [{ apiKey: [] }]),
      /security scheme "apiKey"/,
    ],
    [
      'a query parameter in path style',
      (d) => ((d.paths['/recordings']!.get!.parameters![0] as Record<string, unknown>).style = 'simple'),
      /style not allowed/,
    ],
  ])('and finds it broken with %s', (_name, breakIt, problem) => {
    const broken = copy();
    breakIt(broken);
    expect(openApiProblems(broken).join('\n')).toMatch(problem);
  });
});

describe('/openapi.json describes everything the API serves', () => {
  it('has every route the server answers, and the server answers every documented route', () => {
    const server = createApiServer(
      { reviews: {}, transcripts: {}, calibration: {}, team: {} } as ApiServices,
      silentLogger,
    );
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      [
        'GET /openapi.json',
        'GET /recordings',
        'GET /recordings.csv',
        'GET /recordings/{dispatch_id}',
        'GET /recordings/{dispatch_id}/transcript',
        'GET /sync',
        'POST /sync',
        'GET /forms',
        'GET /reviews',
        'POST /reviews',
        'GET /reviews.csv',
        'GET /reviews/{review_id}',
        'GET /calibration',
        'GET /team',
      ].sort(),
    );
    for (const route of documented) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace('{dispatch_id}', ':dispatch_id').replace('{review_id}', ':review_id');
      expect(server.hasRoute({ method: method as 'GET', url }), route).toBe(true);
    }
  });

  it('describes every parameter of the list and the export, extensions included', () => {
    const names = (path: string) => doc.paths[path]!.get!.parameters!.map((p) => p.name).sort();
    const filters = ['q', 'status', 'outcome', 'from', 'to', 'has_recording', 'said', 'said_by'];
    expect(names('/recordings')).toEqual([...filters, 'limit', 'offset', 'expires_in', 'after'].sort());
    expect(names('/recordings.csv')).toEqual([...filters].sort());
    for (const path of Object.keys(doc.paths)) {
      for (const p of doc.paths[path]!.get?.parameters ?? [])
        expect(p.description, `${path} ${p.name}`).toBeTruthy();
    }
  });

  it('documents the answers each route gives: 422s of the export, next_after, the sync in snake_case', () => {
    const codes = (path: string, method = 'get') => Object.keys(doc.paths[path]![method]!.responses).sort();
    expect(codes('/recordings.csv')).toEqual(['200', '400', '401', '403', '422']);
    expect(codes('/recordings')).toEqual(['200', '400', '401', '403', '422', '500', '502', '503']);
    expect(codes('/sync', 'post')).toEqual(['202', '400', '401', '403', '413', '500']);
    expect(Object.keys(doc.components.schemas.RecordingList!.properties!)).toContain('next_after');
    const sync = doc.components.schemas.SyncStatus!;
    expect(Object.keys(sync.properties!).sort()).toEqual([...SYNC_REPLY_FIELDS].sort());
    expect([...sync.required!].sort()).toEqual([...SYNC_REPLY_FIELDS].sort());
  });
});

describe('an answer is held against the document', () => {
  const answer = (path: string, status: number, body: unknown, method = 'GET') => ({
    method,
    path,
    status,
    contentType: 'application/json; charset=utf-8',
    body,
  });

  it('accepts the documented shapes', () => {
    expect(
      answerProblems(doc, answer('/recordings?limit=1', 200, { recordings: [], limit: 1, offset: 0 })),
    ).toEqual([]);
    expect(answerProblems(doc, answer('/sync', 200, { sync: null }))).toEqual([]);
  });

  it('refuses an undocumented status, a camelCase sync and a list without its limit', () => {
    expect(answerProblems(doc, answer('/recordings.csv', 500, { detail: 'x' }))).toEqual([
      'GET /recordings.csv → 500: /openapi.json does not document this answer',
    ]);
    const camel = answerProblems(
      doc,
      answer('/sync', 202, { sync: { state: 'idle', startedAt: null } }, 'POST'),
    );
    expect(camel.join('\n')).toMatch(/sync/);
    expect(answerProblems(doc, answer('/recordings', 200, { recordings: [], offset: 0 })).join('\n')).toMatch(
      /limit/,
    );
    expect(answerProblems(doc, answer('/nowhere', 200, {}))).toEqual([
      'GET /nowhere → 200: the path is not in /openapi.json',
    ]);
  });

  it('refuses a 422 whose detail is a string where a list is documented', () => {
    expect(answerProblems(doc, answer('/recordings', 422, { detail: 'bad' })).join('\n')).toMatch(/detail/);
  });
});
