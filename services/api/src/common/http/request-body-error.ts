import type { ErrorCode } from '../errors/error-codes';

/**
 * A request refused before any handler ran because of its body: not JSON (415), too large
 * (413), malformed or hostile JSON (400). Raised by our request guards, and made from
 * body-parser's errors by `fromBodyParser` (the one place that knows body-parser's error shape).
 * Its message is always safe to show: body-parser's own can quote the input ("Unexpected token
 * ... in JSON"), so those get a fixed text.
 */
export class RequestBodyError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE'>,
    /** What was wrong, as body-parser names it (`entity.parse.failed`, `entity.too.deep`, …). */
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RequestBodyError';
  }

  /**
   * The RequestBodyError for an error body-parser (raw-body, http-errors) passed on: a 4xx with
   * a `type`. Anything else (a 5xx stream error, a bug) is not a body problem: undefined.
   */
  static fromBodyParser(error: unknown): RequestBodyError | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const { type, status, errno } = error as { type?: unknown; status?: unknown; errno?: unknown };
    const zlibCode = (error as { code?: unknown }).code;
    // A body whose Content-Encoding (gzip, deflate, br) does not inflate: zlib's error (Z_DATA_ERROR,
    // Z_BUF_ERROR… for gzip/deflate, ERR__ERROR_FORMAT_PADDING_2… for brotli) with no `type`.
    if (
      type === undefined &&
      typeof errno === 'number' &&
      typeof zlibCode === 'string' &&
      /^(Z_|ERR_)/.test(zlibCode)
    ) {
      return new RequestBodyError(
        'BAD_REQUEST',
        'encoding.invalid',
        'The request body could not be decompressed (Content-Encoding)',
        { cause: error },
      );
    }
    if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return new RequestBodyError(code, type, BODY_PARSER_MESSAGES[type] ?? 'Bad request', { cause: error });
  }
}

/** Fixed texts for body-parser's failures (its own messages can quote the input). */
const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON body',
  'entity.too.large': 'Request body is too large',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
  'request.aborted': 'Request aborted',
};
