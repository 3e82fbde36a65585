import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from '../common/errors/error-codes';

/**
 * What the route metadata says about one operation (collected from the controllers by
 * openapi.ts): the parts of the contract the global guards, pipes and middleware enforce for
 * every route, which no per-route decorator repeats.
 */
export interface OperationFacts {
  /** @Public(): no bearer token needed (security: []), no 401. */
  isPublic: boolean;
  /** @Roles(level): 403 INSUFFICIENT_ROLE below it. */
  minRole?: string;
  /** POST/PUT/PATCH/DELETE not marked @AllowDuringMaintenance: 503 MAINTENANCE during a window. */
  writeBlocked: boolean;
  /** @RequireFlag(key): 404 while the flag is off for the caller. */
  requiresFlag: boolean;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const WRITE_METHODS = new Set<string>(['post', 'put', 'patch', 'delete']);

/** The reason phrases used when a generated response has no description of its own. */
const REASONS: Record<string, string> = {
  '400': 'Malformed or invalid request (`details` lists each invalid field for VALIDATION_FAILED)',
  '401': 'Missing, invalid, expired or revoked bearer token',
  '403': "The caller's role level is below this route's minimum (INSUFFICIENT_ROLE), or a platform admin is required",
  '404': 'Not found (or, behind a feature flag, the flag is off for the caller)',
  '409': 'Conflict',
  '413': 'The body is larger than BODY_LIMIT',
  '415': 'A body that is not JSON (Content-Type: application/json), or an unsupported encoding',
  '429': 'Too many requests; retry after Retry-After seconds',
  '503': 'Maintenance, database unavailable or schema behind; retry after Retry-After seconds',
};

const REQUEST_ID_HEADER: HeaderObject = {
  description: 'The request id (echoes a valid incoming X-Request-Id, else a new UUID); also in the logs',
  required: true,
  schema: { type: 'string' },
};
const RETRY_AFTER_HEADER: HeaderObject = {
  description: 'Seconds to wait before retrying',
  required: true,
  schema: { type: 'integer', minimum: 0 },
};
const WWW_AUTHENTICATE_HEADER: HeaderObject = {
  description: 'The authentication scheme to use (RFC 6750): `Bearer`, with the error when a token was refused',
  required: true,
  schema: { type: 'string' },
};

/** Name of the component schema of the error envelope of one status (`Error400`, …). */
export function errorSchemaName(status: number | string): string {
  return `Error${status}`;
}

/** The error codes the catalogue answers with `status`. */
export function codesOfStatus(status: number): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => ERROR_CODES[code].status === status);
}

/**
 * The error envelope `{ statusCode, code, message, requestId, details? }` of one status: `code`
 * is one of the catalogue's codes of that status; `details` is a list of invalid fields
 * (VALIDATION_FAILED) or an object (INSUFFICIENT_ROLE, SCHEMA_NOT_MIGRATED, …).
 */
export function errorEnvelopeSchema(status: number): SchemaObject {
  const codes = codesOfStatus(status);
  return {
    type: 'object',
    description: `The error envelope of a ${status}. Codes: ${codes.map((c) => `${c} (${ERROR_CODES[c].description})`).join('; ')}`,
    required: ['statusCode', 'code', 'message', 'requestId'],
    additionalProperties: false,
    properties: {
      statusCode: { type: 'integer', enum: [status] },
      code: { type: 'string', enum: codes, description: 'Stable machine-readable error code' },
      message: { type: 'string', description: 'For humans; may change' },
      requestId: { type: 'string', description: 'Same as the X-Request-Id header' },
      details: {
        description: 'A list of invalid fields (VALIDATION_FAILED), or an object with the facts of the error',
        oneOf: [
          { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
          { type: 'object', additionalProperties: true },
        ],
      },
      ...(status === 429 ? { retryAfterSeconds: { type: 'integer', minimum: 0, description: 'As Retry-After' } } : {}),
      ...(status === 503
        ? {
            window: {
              type: 'object',
              additionalProperties: true,
              description: 'MAINTENANCE: the window in force (its id, times and message)',
            },
          }
        : {}),
    },
  };
}

export const FIELD_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'One invalid field of a request',
  required: ['field', 'errors'],
  additionalProperties: false,
  properties: {
    field: { type: 'string', example: 'email', description: 'Dotted path of the field (`scopes.roles`), or `(body)`' },
    errors: { type: 'array', items: { type: 'string' }, example: ['email must be an email'] },
  },
};

function isReference(value: unknown): value is ReferenceObject {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

function refName(ref: string): string {
  return ref.replace('#/components/schemas/', '');
}

/** A response whose body is the error envelope (or that says nothing about its body). */
function isEnvelopeResponse(response: ResponseObject): boolean {
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return true;
  return isReference(schema) && /^(ErrorEnvelopeDto|Error\d{3})$/.test(refName(schema.$ref));
}

function ensureResponse(operation: OperationObject, status: string): void {
  if (!operation.responses[status]) operation.responses[status] = { description: REASONS[status] ?? 'Error' };
}

/**
 * `nullable: true` beside an `allOf` reference (what @nestjs/swagger emits for a nullable class
 * property) does not make the reference nullable in OpenAPI 3.0 (validators reject `null`).
 * Rewritten to `oneOf: [the reference, null]`.
 */
function fixNullableReferences(schema: SchemaObject | ReferenceObject | undefined): void {
  if (!schema || isReference(schema)) return;
  // A nullable enum must list null (OpenAPI 3.0.3), or validators refuse `null` (jobRole: null).
  if (schema.nullable && schema.enum && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  for (const child of Object.values(schema.properties ?? {})) {
    if (isReference(child)) continue;
    if (child.nullable && child.allOf?.length === 1 && isReference(child.allOf[0])) {
      const ref = child.allOf[0];
      delete child.allOf;
      delete child.nullable;
      delete child.type;
      child.oneOf = [ref, { type: 'object', nullable: true, enum: [null] }];
    }
    fixNullableReferences(child);
  }
  if (schema.items) fixNullableReferences(schema.items);
}

/** The component schemas a schema refers to, transitively. */
function referencedSchemas(doc: OpenAPIObject, schema: unknown, seen = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) referencedSchemas(doc, item, seen);
  } else if (typeof schema === 'object' && schema !== null) {
    if (isReference(schema)) {
      const name = refName(schema.$ref);
      if (!seen.has(name)) {
        seen.add(name);
        referencedSchemas(doc, doc.components?.schemas?.[name], seen);
      }
    } else {
      for (const value of Object.values(schema)) referencedSchemas(doc, value, seen);
    }
  }
  return seen;
}

/**
 * Make the document say what the API does for every route, from the route metadata and the
 * global enhancers, so that no controller has to repeat it (and none can forget it):
 *  - `servers` and `security` (bearer, `security: []` on @Public routes);
 *  - 401 (+ WWW-Authenticate) unless public; 403 under @Roles; 404 under @RequireFlag;
 *    400/413/415 on every write (body guards, validation pipe), 400 on reads with a query; 503 (+ Retry-After) on
 *    every authenticated route (session lookup: database unavailable, schema behind, maintenance);
 *  - every error response: the envelope of its status (`Error<status>`, codes from the catalogue);
 *  - headers: X-Request-Id on every response, Retry-After on 429 and 503;
 *  - request bodies: required only when the body has a required field; unknown fields refused
 *    (`additionalProperties: false`, as the validation pipe's forbidNonWhitelisted does);
 *  - nullable references expressed as `oneOf [ref, null]`.
 */
export function applyContract(doc: OpenAPIObject, facts: Map<string, OperationFacts>): OpenAPIObject {
  const schemas = (doc.components ??= {}).schemas ?? (doc.components.schemas = {});
  doc.servers = [{ url: '/', description: 'The instance serving this document' }];
  doc.security = [{ bearer: [] }];
  delete schemas.ErrorEnvelopeDto;
  schemas.FieldError = FIELD_ERROR_SCHEMA;
  const errorStatuses = new Set<number>();
  const requestSchemas = new Set<string>();

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const id = operation.operationId ?? `${method} ${path}`;
      // A handler on several paths gets `<Controller>_<method>[n]` operationIds: same metadata.
      const fact = facts.get(id.replace(/\[\d+\]$/, ''));
      if (!fact) throw new Error(`OpenAPI: no route metadata for operation ${id}`);
      // A route with its own scheme (the metrics token) keeps it; others: bearer, or none if public.
      const ownScheme = operation.security?.some((s) => !('bearer' in s));
      if (!ownScheme) operation.security = fact.isPublic ? [] : [{ bearer: [] }];
      const body = operation.requestBody;
      if (body && !isReference(body)) {
        const schema = body.content['application/json']?.schema;
        const target = isReference(schema) ? schemas[refName(schema.$ref)] : schema;
        body.required = Boolean(target && !isReference(target) && target.required?.length);
        for (const name of referencedSchemas(doc, body)) requestSchemas.add(name);
      }
      // The JSON body guards run before routing on any request with a body: a write may always
      // meet them (a GET with a body is no use case, so GETs only get 400 for their query).
      const hasQuery = (operation.parameters ?? []).some((p) => !isReference(p) && p.in === 'query');
      const isWrite = WRITE_METHODS.has(method);
      if (body || isWrite || hasQuery) ensureResponse(operation, '400');
      if (body || isWrite) {
        ensureResponse(operation, '413');
        ensureResponse(operation, '415');
      }
      if (!fact.isPublic) {
        ensureResponse(operation, '401');
        ensureResponse(operation, '503');
      }
      if (fact.minRole) ensureResponse(operation, '403');
      if (fact.requiresFlag) ensureResponse(operation, '404');
      if (fact.writeBlocked) ensureResponse(operation, '503');

      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || isReference(response)) continue;
        const code = Number(status);
        response.description ||= REASONS[status] ?? 'OK';
        if (code >= 400 && isEnvelopeResponse(response)) {
          errorStatuses.add(code);
          const example: unknown = response.content?.['application/json']?.example;
          response.content = {
            'application/json': {
              schema: { $ref: `#/components/schemas/${errorSchemaName(code)}` },
              ...(example === undefined ? {} : { example }),
            },
          };
        }
        response.headers = {
          'X-Request-Id': REQUEST_ID_HEADER,
          ...(code === 401 ? { 'WWW-Authenticate': WWW_AUTHENTICATE_HEADER } : {}),
          ...(code === 429 || code === 503 ? { 'Retry-After': RETRY_AFTER_HEADER } : {}),
          ...response.headers,
        };
      }
    }
  }
  for (const status of [...errorStatuses].sort((a, b) => a - b))
    schemas[errorSchemaName(status)] = errorEnvelopeSchema(status);
  for (const name of requestSchemas) {
    const schema = schemas[name];
    if (schema && !isReference(schema) && schema.type === 'object') schema.additionalProperties = false;
  }
  for (const schema of Object.values(schemas)) fixNullableReferences(schema);
  return doc;
}
