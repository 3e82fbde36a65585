import type { NextFunction, Request, Response } from 'express';

/**
 * An error shaped like body-parser's (status + type), so the exception filter maps it to a 4xx;
 * `chefcloud: true` tells the filter its message is safe to show as is.
 */
export function requestError(
  status: number,
  type: string,
  message: string,
): Error & { status: number; type: string; expose: boolean; chefcloud: true } {
  return Object.assign(new Error(message), { status, type, expose: true, chefcloud: true as const });
}

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
    next(requestError(415, 'content-type.unsupported', 'Request bodies must be JSON (Content-Type: application/json)'));
    return;
  }
  next();
}

export const MAX_JSON_DEPTH = 32;

/** Keys that address prototypes rather than data; no DTO has them, and they are never valid input. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Problem = 'depth' | 'nul' | 'prototype';
const PROBLEMS: Record<Problem, [string, string]> = {
  depth: ['entity.too.deep', `JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`],
  nul: ['entity.nul', 'Strings must not contain NUL characters'],
  prototype: ['entity.forbidden.key', 'Keys __proto__, constructor and prototype are not allowed'],
};

/**
 * After JSON parsing: refuse bodies nested deeper than MAX_JSON_DEPTH (no DTO is deeper than 3;
 * deep structures only cost stack in validation), strings containing NUL, which PostgreSQL
 * cannot store in text (it would be a database error instead of a 400), and prototype keys
 * (`__proto__`, `constructor`, `prototype`), which the whitelist cannot see because every object
 * inherits a `constructor`.
 */
export function rejectHostileJson(req: Request, _res: Response, next: NextFunction): void {
  const problem = inspect(req.body as unknown, 0);
  if (problem) {
    const [type, message] = PROBLEMS[problem];
    next(requestError(400, type, message));
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

/**
 * An error middleware right after the JSON parser: a body whose Content-Encoding (gzip,
 * deflate, br) does not inflate reaches us as zlib's error (Z_DATA_ERROR, Z_BUF_ERROR, ...)
 * without body-parser's `type`; it is the client's fault, so it becomes a 400 like any other
 * unreadable body. Every other error passes through unchanged.
 */
export function badEncodingIs400(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const e = error as { code?: unknown; errno?: unknown; type?: unknown } | null;
  // zlib's codes: Z_DATA_ERROR, Z_BUF_ERROR... (gzip, deflate); ERR__ERROR_FORMAT_PADDING_2... (brotli).
  if (
    e?.type === undefined &&
    typeof e?.errno === 'number' &&
    typeof e.code === 'string' &&
    /^(Z_|ERR_)/.test(e.code)
  ) {
    next(requestError(400, 'encoding.invalid', 'The request body could not be decompressed (Content-Encoding)'));
    return;
  }
  next(error);
}
