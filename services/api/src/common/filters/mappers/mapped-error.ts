import type { AppExceptionOptions } from '../../errors/app-exception';
import { statusOf, type ErrorCode } from '../../errors/error-codes';
import type { ErrorEnvelope } from '../../errors/error-envelope';

/** What a mapper makes of a thrown value: the status, the envelope (minus requestId), headers. */
export interface MappedError {
  status: number;
  body: Omit<ErrorEnvelope, 'requestId'>;
  headers?: Record<string, string>;
}

/**
 * One source of errors (HTTP exceptions, body parsing, the database): maps what it recognises,
 * and answers undefined for anything else so the next mapper can try.
 */
export type ErrorMapper = (exception: unknown) => MappedError | undefined;

/** The envelope of a catalogued code: the status always comes from the catalogue. */
export function mappedError(
  code: ErrorCode,
  message: string,
  { details, headers, extra }: AppExceptionOptions = {},
): MappedError {
  const status = statusOf(code);
  return {
    status,
    body: { statusCode: status, code, message, ...(details !== undefined ? { details } : {}), ...extra },
    ...(headers ? { headers } : {}),
  };
}
