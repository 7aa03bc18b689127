import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../../electron/core/http/openapi.ts';

describe('/openapi.json, read by a real OpenAPI validator', () => {
  it('is a valid OpenAPI 3.1 document (schema, $refs, parameters, responses)', async () => {
    // A deep copy: the validator dereferences in place, and the served document must stay as it is.
    const document = JSON.parse(JSON.stringify(openApiDocument)) as Parameters<
      typeof SwaggerParser.validate
    >[0];
    const api = await SwaggerParser.validate(document);
    expect(api.info.title).toBeTruthy();
    expect(Object.keys(api.paths ?? {})).toEqual(
      expect.arrayContaining(['/recordings', '/recordings/{dispatch_id}', '/sync', '/reviews', '/forms']),
    );
  });

  it('would refuse a broken one (so the check above can fail)', async () => {
    const broken = JSON.parse(JSON.stringify(openApiDocument)) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    broken.paths['/forms']!.get!.responses['200'] = { content: {} }; // a response needs a description
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });
});
