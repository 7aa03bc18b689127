/**
 * Checks for `/openapi.json`, used by the unit test of the document and by the integration tests
 * that hold each answer they receive against it.
 *
 * - `openApiProblems(doc)`: the document against the OpenAPI 3.1 rules (required and allowed fields
 *   of every object, parameter locations and styles, response codes, path templates and their path
 *   parameters, unique operation ids, `$ref`s that resolve, security schemes that exist, schemas
 *   that are JSON Schema). No OpenAPI validator is installed (package.json is not this file's to
 *   change), so the rules are written here with zod, which is.
 * - `answerProblems(doc, answer)`: an HTTP answer against the document: is its status documented
 *   for that path and method, and does its JSON body fit the schema given for it.
 */
import { z } from 'zod';
import { openApiDocument } from '../../electron/core/http/openapi.ts';

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with exactly these fixed fields (plus `x-` extensions), as every OpenAPI object is. */
function fixed<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((value, context) => {
      for (const key of Object.keys(value)) {
        if (!(key in shape) && !key.startsWith('x-')) {
          context.addIssue({ code: 'custom', message: `unknown field "${key}"`, path: [key] });
        }
      }
    });
}

const reference = fixed({
  $ref: z.string(),
  summary: z.string().optional(),
  description: z.string().optional(),
});
/** A Reference Object where `$ref` is given, else the object itself (its own issues, not a union's). */
const orRef = (schema: z.ZodType) =>
  z.unknown().superRefine((value, context) => {
    const result = (isObject(value) && '$ref' in value ? reference : schema).safeParse(value);
    for (const issue of result.error?.issues ?? []) {
      context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
  });
/** A Schema Object is a JSON Schema (2020-12): an object or a boolean; checked further below. */
const schemaObject = z.union([z.boolean(), z.record(z.string(), z.unknown())]);
const example = fixed({
  summary: z.string().optional(),
  description: z.string().optional(),
  value: z.unknown().optional(),
  externalValue: z.string().optional(),
});
const examples = z.record(z.string(), orRef(example)).optional();
const mediaType = fixed({
  schema: schemaObject.optional(),
  example: z.unknown().optional(),
  examples,
  encoding: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
const content = z.record(z.string(), mediaType);
const serializing = {
  description: z.string().optional(),
  required: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  allowEmptyValue: z.boolean().optional(),
  style: z
    .enum(['matrix', 'label', 'form', 'simple', 'spaceDelimited', 'pipeDelimited', 'deepObject'])
    .optional(),
  explode: z.boolean().optional(),
  allowReserved: z.boolean().optional(),
  schema: schemaObject.optional(),
  example: z.unknown().optional(),
  examples,
  content: content.optional(),
};
const STYLES_BY_LOCATION: Record<string, readonly string[]> = {
  path: ['matrix', 'label', 'simple'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};
const parameter = fixed({
  name: z.string().min(1),
  in: z.enum(['query', 'header', 'path', 'cookie']),
  ...serializing,
})
  .refine((p) => (p.schema === undefined) !== (p.content === undefined), {
    message: 'a parameter has exactly one of schema and content',
  })
  .refine((p) => p.in !== 'path' || p.required === true, {
    message: 'a path parameter must be required: true',
  })
  .refine((p) => p.style === undefined || STYLES_BY_LOCATION[p.in]!.includes(p.style), {
    message: 'style not allowed for this parameter location',
  });
const header = fixed(serializing).refine((h) => (h.schema === undefined) !== (h.content === undefined), {
  message: 'a header has exactly one of schema and content',
});
const response = fixed({
  description: z.string(),
  headers: z.record(z.string(), orRef(header)).optional(),
  content: content.optional(),
  links: z.record(z.string(), z.unknown()).optional(),
});
const RESPONSE_CODE = /^(default|[1-5](\d\d|XX))$/;
const responses = z
  .record(z.string(), orRef(response))
  .refine((value) => Object.keys(value).length > 0, { message: 'an operation documents at least one answer' })
  .superRefine((value, context) => {
    for (const code of Object.keys(value)) {
      if (!RESPONSE_CODE.test(code) && !code.startsWith('x-')) {
        context.addIssue({ code: 'custom', message: `"${code}" is not a response code`, path: [code] });
      }
    }
  });
const securityRequirement = z.record(z.string(), z.array(z.string()));
const server = fixed({
  url: z.string(),
  description: z.string().optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
});
const externalDocs = fixed({ url: z.string(), description: z.string().optional() });
const operation = fixed({
  tags: z.array(z.string()).optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  externalDocs: externalDocs.optional(),
  operationId: z.string().optional(),
  parameters: z.array(orRef(parameter)).optional(),
  requestBody: z.unknown().optional(),
  responses,
  callbacks: z.record(z.string(), z.unknown()).optional(),
  deprecated: z.boolean().optional(),
  security: z.array(securityRequirement).optional(),
  servers: z.array(server).optional(),
});
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const pathItem = fixed({
  $ref: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  ...Object.fromEntries(METHODS.map((method) => [method, operation.optional()])),
  servers: z.array(server).optional(),
  parameters: z.array(orRef(parameter)).optional(),
});
const securityScheme = fixed({
  type: z.enum(['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect']),
  description: z.string().optional(),
  name: z.string().optional(),
  in: z.enum(['query', 'header', 'cookie']).optional(),
  scheme: z.string().optional(),
  bearerFormat: z.string().optional(),
  flows: z.unknown().optional(),
  openIdConnectUrl: z.string().optional(),
})
  .refine((s) => s.type !== 'http' || s.scheme !== undefined, { message: 'an http scheme names its scheme' })
  .refine((s) => s.type !== 'apiKey' || (s.name !== undefined && s.in !== undefined), {
    message: 'an apiKey scheme names its name and in',
  });
const components = fixed({
  schemas: z.record(z.string(), schemaObject).optional(),
  responses: z.record(z.string(), orRef(response)).optional(),
  parameters: z.record(z.string(), orRef(parameter)).optional(),
  examples: z.record(z.string(), orRef(example)).optional(),
  requestBodies: z.record(z.string(), z.unknown()).optional(),
  headers: z.record(z.string(), orRef(header)).optional(),
  securitySchemes: z.record(z.string(), orRef(securityScheme)).optional(),
  links: z.record(z.string(), z.unknown()).optional(),
  callbacks: z.record(z.string(), z.unknown()).optional(),
  pathItems: z.record(z.string(), z.unknown()).optional(),
});
const info = fixed({
  title: z.string(),
  summary: z.string().optional(),
  description: z.string().optional(),
  termsOfService: z.string().optional(),
  contact: z.record(z.string(), z.unknown()).optional(),
  license: z.record(z.string(), z.unknown()).optional(),
  version: z.string(),
});
const documentSchema = fixed({
  openapi: z.string().regex(/^3\.1\.\d+(-.+)?$/, 'openapi must be 3.1.x'),
  info,
  jsonSchemaDialect: z.string().optional(),
  servers: z.array(server).optional(),
  paths: z.record(z.string().regex(/^\//, 'a path starts with /'), pathItem).optional(),
  webhooks: z.record(z.string(), z.unknown()).optional(),
  components: components.optional(),
  security: z.array(securityRequirement).optional(),
  tags: z.array(z.record(z.string(), z.unknown())).optional(),
  externalDocs: externalDocs.optional(),
}).refine((doc) => doc.paths !== undefined || doc.components !== undefined || doc.webhooks !== undefined, {
  message: 'a 3.1 document has paths, components or webhooks',
});

const JSON_TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);

/** Every rule of OpenAPI 3.1 the document breaks, one line each; empty when it is valid. */
export function openApiProblems(doc: Json): string[] {
  const parsed = documentSchema.safeParse(doc);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`);
  }
  const problems: string[] = [];
  const root = doc as JsonObject;

  walk(root, [], (value, path) => {
    if (typeof value.$ref === 'string' && resolvePointer(root, value.$ref) === undefined) {
      problems.push(`${path.join('.')}: $ref ${value.$ref} does not resolve`);
    }
  });

  const operationIds = new Set<string>();
  const schemes = Object.keys((root.components as JsonObject | undefined)?.securitySchemes ?? {});
  const checkSecurity = (requirements: unknown, where: string) => {
    for (const requirement of (requirements as JsonObject[] | undefined) ?? []) {
      for (const name of Object.keys(requirement)) {
        if (!schemes.includes(name))
          problems.push(`${where}: security scheme "${name}" is not in components`);
      }
    }
  };
  checkSecurity(root.security, 'security');

  for (const [template, item] of Object.entries((root.paths as Record<string, JsonObject>) ?? {})) {
    const variables = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    for (const method of METHODS) {
      const op = item[method] as JsonObject | undefined;
      if (!op) continue;
      const where = `${method.toUpperCase()} ${template}`;
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId))
          problems.push(`${where}: operationId ${op.operationId} is used twice`);
        operationIds.add(op.operationId);
      }
      checkSecurity(op.security, where);
      const parameters = [
        ...((item.parameters as JsonObject[]) ?? []),
        ...((op.parameters as JsonObject[]) ?? []),
      ].map((p) => (typeof p.$ref === 'string' ? (resolvePointer(root, p.$ref) as JsonObject) : p));
      const seen = new Set<string>();
      for (const p of parameters) {
        const key = `${String(p.in)}:${String(p.name)}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${key} is declared twice`);
        seen.add(key);
        if (p.in === 'path' && !variables.includes(String(p.name))) {
          problems.push(`${where}: path parameter ${String(p.name)} is not in the path`);
        }
      }
      for (const variable of variables) {
        if (!seen.has(`path:${variable}`)) problems.push(`${where}: {${variable}} has no path parameter`);
      }
    }
  }

  const schemas = collectSchemas(root);
  for (const [where, schema] of schemas) {
    walkSchema(schema, (node) => {
      const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
      for (const type of types) {
        if (typeof type !== 'string' || !JSON_TYPES.has(type))
          problems.push(`${where}: "${String(type)}" is not a JSON Schema type`);
      }
      if (
        node.required !== undefined &&
        !(Array.isArray(node.required) && node.required.every((r) => typeof r === 'string'))
      ) {
        problems.push(`${where}: required must list property names`);
      } else if (Array.isArray(node.required) && isObject(node.properties)) {
        // JSON Schema allows it, but a required field the schema does not describe is a slip.
        for (const name of node.required as string[]) {
          if (!(name in node.properties)) problems.push(`${where}: required "${name}" is not in properties`);
        }
      }
    });
    try {
      schemaFor(root, schema);
    } catch (error) {
      problems.push(
        `${where}: not a usable JSON Schema (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  return problems;
}

/** What an HTTP answer received by a test breaks in the document; empty when it conforms. */
export function answerProblems(
  doc: Json,
  answer: { method: string; path: string; status: number; contentType: string | null; body: unknown },
): string[] {
  const root = doc as JsonObject;
  const path = answer.path.split('?')[0]!;
  const where = `${answer.method} ${path} → ${answer.status}`;
  const template = Object.keys(root.paths as JsonObject).find((candidate) =>
    new RegExp(`^${candidate.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(
      path,
    ),
  );
  if (!template) return [`${where}: the path is not in /openapi.json`];
  const method = answer.method.toLowerCase() === 'head' ? 'get' : answer.method.toLowerCase();
  const op = (root.paths as Record<string, JsonObject>)[template]![method] as JsonObject | undefined;
  if (!op) return [`${where}: ${method.toUpperCase()} ${template} is not in /openapi.json`];
  const all = op.responses as Record<string, JsonObject>;
  const code = String(answer.status);
  let documented = all[code] ?? all[`${code[0]}XX`] ?? all.default;
  if (!documented) return [`${where}: /openapi.json does not document this answer`];
  if (typeof documented.$ref === 'string') documented = resolvePointer(root, documented.$ref) as JsonObject;
  const media = documented.content as Record<string, JsonObject> | undefined;
  if (!media)
    return answer.body === null || answer.body === '' ? [] : [`${where}: a body where none is documented`];
  const type = (answer.contentType ?? '').split(';')[0]!.trim();
  const entry = media[type];
  if (!entry)
    return [`${where}: answered ${type || 'no content type'}, documented ${Object.keys(media).join(', ')}`];
  if (entry.schema === undefined || type !== 'application/json') return [];
  const result = schemaFor(root, entry.schema).safeParse(answer.body);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${where}: ${issue.path.join('.') || '(body)'}: ${issue.message}`);
}

/** Throws with every problem, for a test's one-line check. */
export function expectConforming(doc: Json, answer: Parameters<typeof answerProblems>[1]): void {
  const problems = answerProblems(doc, answer);
  if (problems.length > 0) throw new Error(`The answer does not fit /openapi.json:\n${problems.join('\n')}`);
}

const converted = new WeakMap<object, Map<unknown, z.ZodType>>();

/** A schema of the document as zod, its `#/components/schemas/…` references resolved. */
function schemaFor(root: JsonObject, schema: unknown): z.ZodType {
  let cache = converted.get(root);
  if (!cache) converted.set(root, (cache = new Map()));
  const known = cache.get(schema);
  if (known) return known;
  const defs = (root.components as JsonObject | undefined)?.schemas ?? {};
  const rewrite = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/')) as unknown;
  const whole =
    typeof schema === 'boolean' ? schema : { ...(rewrite(schema) as JsonObject), $defs: rewrite(defs) };
  const zod = z.fromJSONSchema(whole as Parameters<typeof z.fromJSONSchema>[0]);
  cache.set(schema, zod);
  return zod;
}

function resolvePointer(root: JsonObject, pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as JsonObject)[key];
    if (node === undefined) return undefined;
  }
  return node;
}

function walk(node: unknown, path: string[], visit: (value: JsonObject, path: string[]) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, [...path, String(index)], visit));
  } else if (isObject(node)) {
    visit(node, path);
    for (const [key, value] of Object.entries(node)) walk(value, [...path, key], visit);
  }
}

/** Every Schema Object of the document, with where it is. */
function collectSchemas(root: JsonObject): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const [name, schema] of Object.entries(
    ((root.components as JsonObject | undefined)?.schemas as JsonObject) ?? {},
  )) {
    found.push([`components.schemas.${name}`, schema]);
  }
  walk(root.paths, ['paths'], (value, path) => {
    // Parameters, headers and media types hold a schema; nothing inside a schema is one of those.
    if ('schema' in value && !path.includes('schema'))
      found.push([[...path, 'schema'].join('.'), value.schema]);
  });
  return found;
}

function walkSchema(schema: unknown, visit: (node: JsonObject) => void): void {
  if (!isObject(schema)) return;
  visit(schema);
  for (const key of ['items', 'not', 'additionalProperties', 'contains', 'if', 'then', 'else'])
    walkSchema(schema[key], visit);
  for (const key of ['properties', 'patternProperties', '$defs']) {
    for (const child of Object.values((schema[key] as JsonObject | undefined) ?? {}))
      walkSchema(child, visit);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    for (const child of (schema[key] as unknown[] | undefined) ?? []) walkSchema(child, visit);
  }
}

/** An answer as a test reads it: the status, the headers, the body (JSON parsed, else the text). */
export interface CheckedAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/**
 * Fetches `base + path` and holds the answer against `doc` (the document the server serves) before
 * handing it back, so every answer a test receives is one the document describes.
 */
export async function fetchConforming(
  doc: Json,
  base: string,
  path: string,
  init: RequestInit = {},
): Promise<CheckedAnswer> {
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  const body =
    contentType?.startsWith('application/json') && text !== '' ? (JSON.parse(text) as unknown) : text;
  expectConforming(doc, { method: init.method ?? 'GET', path, status: response.status, contentType, body });
  return { status: response.status, headers: response.headers, body, text };
}

interface GetsJson {
  get(path: string): Promise<{ status: number; body: unknown; headers: Headers }>;
}

/**
 * The same server under test, whose `get` holds every answer against the served document
 * (`/openapi.json`) before the test sees it.
 */
export function checkingAnswers<T extends GetsJson>(target: T, doc: Json = openApiDocument): T {
  return {
    ...target,
    async get(path: string) {
      const answer = await target.get(path);
      expectConforming(doc, {
        method: 'GET',
        path,
        status: answer.status,
        contentType: answer.headers.get('content-type'),
        body: answer.body,
      });
      return answer;
    },
  };
}
