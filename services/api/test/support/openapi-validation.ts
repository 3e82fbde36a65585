import fs from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { errorEnvelopeSchema, errorSchemaName, FIELD_ERROR_SCHEMA } from '../../src/docs/openapi-contract';
import { OPENAPI_PATH } from '../../src/docs/openapi-document';

/**
 * Response validation against the OpenAPI document the API serves: every HTTP response an
 * integration test receives must have a status the document lists for its operation, a body
 * that matches the schema of that status, and the documented headers (X-Request-Id always,
 * Retry-After on 429/503, WWW-Authenticate on 401). The test support hooks it in centrally
 * (test-app.ts wraps the app's HTTP server, openapi-setup.ts wraps fetch for API processes), and
 * a violation fails the test during which the response was sent. Requests are not validated:
 * tests send invalid requests on purpose; their responses are validated like any other.
 */

/** One response as the server sent it. */
export interface ObservedResponse {
  method: string;
  url: string;
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

interface Operation {
  method: string;
  pattern: RegExp;
  /** Literal segments count more: /ops/maintenance/active wins over /ops/maintenance/{id}. */
  literalSegments: number;
  pointer: string;
  responses: Record<string, OperationResponse>;
}

interface OperationResponse {
  headers: Record<string, { required?: boolean }>;
  /** JSON pointer of the application/json schema, if the response has a JSON body. */
  schemaPointer?: string;
  /** Other media types the response may have (text/plain, …). */
  mediaTypes: string[];
}

/** Paths the API serves that are not API operations: Swagger UI and the document itself. */
const NOT_OPERATIONS = /^\/api\/docs(-json|-yaml|\/.*)?$/;

/** What middleware answers on a path no operation has (unknown routes, body guards before routing). */
const UNROUTED_STATUSES = [400, 404, 405, 413, 415];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pointerEscape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Responses in the document may leave out fields, never add undocumented ones: every object
 * schema with `properties` and no `additionalProperties` is closed for validation.
 */
function closeObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closeObjects);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'example' || key === 'examples') out[key] = child;
    else if (key === 'properties' && typeof child === 'object' && child !== null)
      out[key] = Object.fromEntries(Object.entries(child).map(([name, schema]) => [name, closeObjects(schema)]));
    else out[key] = closeObjects(child);
  }
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

export class ContractValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema(closeObjects(document) as object, 'openapi');
    // The envelopes of what middleware answers before routing, beside the field error they use.
    const unrouted = Object.fromEntries(UNROUTED_STATUSES.map((s) => [errorSchemaName(s), errorEnvelopeSchema(s)]));
    this.ajv.addSchema({ components: { schemas: { ...unrouted, FieldError: FIELD_ERROR_SCHEMA } } }, 'unrouted');
    for (const [path, item] of Object.entries(document.paths)) {
      const segments = path.split('/').filter(Boolean);
      const pattern = new RegExp(
        `^/${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : escapeRegExp(s))).join('/')}/?$`,
      );
      for (const [method, operation] of Object.entries(item as Record<string, unknown>)) {
        const op = operation as { responses?: Record<string, Record<string, unknown>> };
        if (!op.responses) continue;
        const pointer = `#/paths/${pointerEscape(path)}/${method}`;
        const responses: Record<string, OperationResponse> = {};
        for (const [status, response] of Object.entries(op.responses)) {
          const content = (response.content ?? {}) as Record<string, { schema?: unknown }>;
          responses[status] = {
            headers: (response.headers ?? {}) as Record<string, { required?: boolean }>,
            schemaPointer: content['application/json']?.schema
              ? `${pointer}/responses/${status}/content/application~1json/schema`
              : undefined,
            mediaTypes: Object.keys(content),
          };
        }
        this.operations.push({
          method: method.toUpperCase(),
          pattern,
          literalSegments: segments.filter((s) => !s.startsWith('{')).length,
          pointer,
          responses,
        });
      }
    }
    this.operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Whether this response is an API response at all (Swagger UI and the document are not). */
  static isApiResponse(url: string): boolean {
    return !NOT_OPERATIONS.test(url.split('?')[0] ?? url);
  }

  private validator(ref: string): ValidateFunction {
    let fn = this.compiled.get(ref);
    if (!fn) {
      fn = this.ajv.getSchema(ref);
      if (!fn) throw new Error(`OpenAPI validation: no schema at ${ref}`);
      this.compiled.set(ref, fn);
    }
    return fn;
  }

  /** The contract violations of one response (empty when it matches the document). */
  check(response: ObservedResponse): string[] {
    const path = response.url.split('?')[0] ?? response.url;
    const problems: string[] = [];
    const header = (name: string) => response.headers[name.toLowerCase()];
    if (!header('x-request-id')) problems.push('no X-Request-Id header');
    if ((response.status === 429 || response.status === 503) && !header('retry-after'))
      problems.push(`${response.status} without a Retry-After header`);
    if (response.status === 401 && !header('www-authenticate')) problems.push('401 without a WWW-Authenticate header');

    const operation = this.operations.find((op) => op.method === response.method && op.pattern.test(path));
    const contentType = String(header('content-type') ?? '');
    const text = response.body.toString('utf8');
    const hasBody = response.body.length > 0 && response.method !== 'HEAD';
    let json: unknown;
    if (hasBody && contentType.startsWith('application/json')) {
      try {
        json = JSON.parse(text);
      } catch {
        problems.push(`Content-Type ${contentType} but the body is not JSON: ${text.slice(0, 200)}`);
        return problems;
      }
    }

    if (!operation) {
      // A CORS preflight is answered by the CORS middleware, not by an operation.
      if (response.method === 'OPTIONS' && response.status === 204 && !hasBody) return problems;
      // No documented operation: only what the middleware answers for an unknown route is fine.
      if (!UNROUTED_STATUSES.includes(response.status)) {
        problems.push(`${response.method} ${path} is not in the document, yet answered ${response.status}`);
      } else if (json !== undefined) {
        this.validate(`unrouted#/components/schemas/${errorSchemaName(response.status)}`, json, problems);
      } else if (hasBody) {
        problems.push(`unrouted ${response.status} with a ${contentType || 'typeless'} body, not the error envelope`);
      }
      return problems;
    }

    const documented =
      operation.responses[String(response.status)] ??
      operation.responses[`${String(response.status)[0]}XX`] ??
      operation.responses.default;
    if (!documented) {
      problems.push(
        `status ${response.status} is not documented for ${response.method} ${path} (documented: ${Object.keys(operation.responses).join(', ')})`,
      );
      return problems;
    }
    for (const [name, spec] of Object.entries(documented.headers)) {
      if (spec.required && header(name) === undefined) problems.push(`documented header ${name} is missing`);
    }
    if (documented.schemaPointer) {
      if (!hasBody) {
        if (response.method !== 'HEAD') problems.push(`no body, but the document says ${response.status} has one`);
      } else if (json === undefined) {
        problems.push(`the document says application/json, got ${contentType || 'no Content-Type'}`);
      } else {
        this.validate(`openapi${documented.schemaPointer}`, json, problems);
      }
    } else if (hasBody && !documented.mediaTypes.some((type) => contentType.startsWith(type))) {
      problems.push(
        `a ${contentType || 'typeless'} body, but the document gives ${response.status} ${documented.mediaTypes.join(', ') || 'no body'}`,
      );
    }
    return problems;
  }

  private validate(ref: string, json: unknown, problems: string[]): void {
    const validate = this.validator(ref);
    if (validate(json)) return;
    for (const error of validate.errors ?? []) {
      const where = error.instancePath || '(body)';
      const extra =
        error.keyword === 'additionalProperties'
          ? ` '${String((error.params as { additionalProperty?: string }).additionalProperty)}'`
          : '';
      problems.push(`body ${where} ${error.message ?? error.keyword}${extra}`);
    }
    problems.push(`body was: ${JSON.stringify(json).slice(0, 400)}`);
  }
}

// ---- The registry shared by the test support and the Jest setup file (one per test file) ----

const violations: string[] = [];
let validated = 0;

/** Validate one response now, recording a violation for the running test. */
export function recordResponse(validator: ContractValidator, response: ObservedResponse): void {
  if (!ContractValidator.isApiResponse(response.url)) return;
  validated++;
  let problems: string[];
  try {
    problems = validator.check(response);
  } catch (error) {
    // Never break the response under test: a validator failure is reported as a violation.
    problems = [`the validator failed: ${error instanceof Error ? error.message : String(error)}`];
  }
  if (problems.length)
    violations.push(
      `${response.method} ${response.url} → ${response.status} contradicts the OpenAPI document:\n  - ${problems.join('\n  - ')}`,
    );
}

/** The violations recorded since the last call (and forget them). */
export function takeViolations(): string[] {
  return violations.splice(0, violations.length);
}

export function validatedCount(): number {
  return validated;
}

/**
 * Watch every response `server` sends: the body is collected from write()/end() and validated
 * synchronously in end(), before the client can have read it, so the test that caused it is
 * still running.
 */
export function validateResponsesOf(server: Server, validator: () => ContractValidator | undefined): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : typeof chunk === 'string'
            ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
            : Buffer.from(chunk as Uint8Array),
      );
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    let ended = false;
    res.write = ((...args: unknown[]) => {
      collect(args[0], args[1]);
      return write(...args);
    }) as ServerResponse['write'];
    res.end = ((...args: unknown[]) => {
      if (!ended) {
        ended = true;
        collect(args[0], args[1]);
        const current = validator();
        if (current)
          recordResponse(current, {
            method: req.method ?? 'GET',
            url: (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/',
            status: res.statusCode,
            headers: res.getHeaders(),
            body: Buffer.concat(chunks),
          });
      }
      return end(...args);
    }) as ServerResponse['end'];
  });
}

// ---- API processes (dist/main.js): their responses are validated on the client side ----

const processOrigins = new Set<string>();
let committed: ContractValidator | undefined;

/**
 * Validate the responses `fetch` receives from this API process (test/support/api-process.ts).
 * Against the committed docs/openapi.json, which a unit test keeps equal to what the code
 * serves (production processes do not serve the document).
 */
export function validateProcessResponses(origin: string): void {
  processOrigins.add(origin);
}

export function forgetProcess(origin: string): void {
  processOrigins.delete(origin);
}

export function committedValidator(): ContractValidator {
  committed ??= new ContractValidator(JSON.parse(fs.readFileSync(OPENAPI_PATH, 'utf8')) as OpenAPIObject);
  return committed;
}

/** The API process a URL belongs to, if any. */
export function isProcessUrl(url: URL): boolean {
  return processOrigins.has(url.origin);
}
