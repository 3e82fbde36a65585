import type { NextFunction, Request, Response } from 'express';
import { RequestBodyError } from './request-body-error';

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * The API speaks JSON only: a request that carries a body must say `Content-Type:
 * application/json` (415 otherwise). Without this, a text/plain or form body would be silently
 * ignored and the request treated as if it had no body.
 */
export function requireJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !req.is('application/json')) {
    next(
      new RequestBodyError(
        'UNSUPPORTED_MEDIA_TYPE',
        'content-type.unsupported',
        'Request bodies must be JSON (Content-Type: application/json)',
      ),
    );
    return;
  }
  next();
}

/**
 * An Express error handler placed right after the JSON body parser: what body-parser passes on
 * (malformed JSON, a body over BODY_LIMIT, an unsupported charset, an aborted upload) becomes a
 * RequestBodyError, the typed error the exception filter maps; anything else passes unchanged.
 */
export function typeBodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  next(RequestBodyError.fromBodyParser(error) ?? error);
}

export const MAX_JSON_DEPTH = 32;

/**
 * Keys that address prototypes rather than data: `prototype` and every member of
 * Object.prototype (`__proto__`, `constructor`, `toString`, `valueOf`, `hasOwnProperty`, …).
 * No DTO has them, and they are never valid input.
 */
const PROTOTYPE_KEYS = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

type Problem = 'depth' | 'nul' | 'prototype';
const PROBLEMS: Record<Problem, [string, string]> = {
  depth: ['entity.too.deep', `JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`],
  nul: ['entity.nul', 'Strings must not contain NUL characters'],
  prototype: [
    'entity.forbidden.key',
    'Keys naming prototype members (__proto__, constructor, prototype, toString, valueOf, …) are not allowed',
  ],
};

/**
 * After JSON parsing: refuse bodies nested deeper than MAX_JSON_DEPTH (no DTO is deeper than 3;
 * deep structures only cost stack in validation), strings containing NUL, which PostgreSQL
 * cannot store in text (it would be a database error instead of a 400), and prototype keys
 * (`__proto__`, `constructor`, `prototype`, `toString`, …), which the whitelist cannot see because
 * every object inherits them (a property-based test found `{"toString": []}` passing a DTO).
 */
export function rejectHostileJson(req: Request, _res: Response, next: NextFunction): void {
  const problem = inspect(req.body as unknown, 0);
  if (problem) {
    const [type, message] = PROBLEMS[problem];
    next(new RequestBodyError('BAD_REQUEST', type, message));
    return;
  }
  next();
}

function inspect(value: unknown, depth: number): Problem | null {
  if (typeof value === 'string') return value.includes('\u0000') ? 'nul' : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_JSON_DEPTH) return 'depth';
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return 'nul';
    if (PROTOTYPE_KEYS.has(key)) return 'prototype';
    const found = inspect(child, depth + 1);
    if (found) return found;
  }
  return null;
}
