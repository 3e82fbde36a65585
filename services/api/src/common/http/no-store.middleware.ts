import type { NextFunction, Request, Response } from 'express';

/**
 * `Cache-Control: no-store` (and `Pragma: no-cache` for HTTP/1.0 caches) on the answer: for
 * responses that carry tokens (RFC 6749 §5.1), mounted on /auth so every login variant has it.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  next();
}
