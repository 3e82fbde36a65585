import { AppException } from './app-exception';
import { codeForStatus, ERROR_CODES, isErrorCode, statusOf, type ErrorCode, type ErrorDefinition } from './error-codes';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the error catalogue', () => {
  it('names every code in UPPER_SNAKE_CASE with an HTTP error status and a description', () => {
    for (const code of codes) {
      const definition: ErrorDefinition = ERROR_CODES[code];
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(definition.status).toBeGreaterThanOrEqual(400);
      expect(definition.status).toBeLessThan(600);
      expect(definition.description.length).toBeGreaterThan(10);
    }
  });

  it('has at most one generic code per status, and one for every status the API answers with', () => {
    const generic = codes.filter((code) => (ERROR_CODES[code] as ErrorDefinition).generic).map(statusOf);
    expect(new Set(generic).size).toBe(generic.length);
    expect(new Set(generic)).toEqual(new Set(codes.map(statusOf)));
  });

  it('gives each code its status, and each bare status its generic code', () => {
    expect(statusOf('VALIDATION_FAILED')).toBe(400);
    expect(statusOf('INSUFFICIENT_ROLE')).toBe(403);
    expect(statusOf('TOO_MANY_ATTEMPTS')).toBe(429);
    expect(statusOf('MAINTENANCE')).toBe(503);
    expect(statusOf('SCHEMA_NOT_MIGRATED')).toBe(503);
    expect(codeForStatus(400)).toBe('BAD_REQUEST');
    expect(codeForStatus(404)).toBe('NOT_FOUND');
    expect(codeForStatus(503)).toBe('SERVICE_UNAVAILABLE');
    // Statuses the API never raises itself keep a neutral code.
    expect(codeForStatus(418)).toBe('ERROR');
    expect(codeForStatus(502)).toBe('INTERNAL_ERROR');
  });

  it('recognises catalogued codes only', () => {
    expect(isErrorCode('MAINTENANCE')).toBe(true);
    expect(isErrorCode('maintenance')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});

describe('AppException', () => {
  it('takes its status from the catalogue and is the envelope', () => {
    const error = new AppException('INSUFFICIENT_ROLE', 'needs L4', {
      details: { required: 'L4' },
      headers: { 'X-Test': '1' },
      extra: { hint: 'ask' },
    });
    expect(error.getStatus()).toBe(403);
    expect(error.code).toBe('INSUFFICIENT_ROLE');
    expect(error.headers).toEqual({ 'X-Test': '1' });
    expect(error.getResponse()).toEqual({
      statusCode: 403,
      code: 'INSUFFICIENT_ROLE',
      message: 'needs L4',
      details: { required: 'L4' },
      hint: 'ask',
    });
    expect(new AppException('NOT_FOUND', 'gone').getResponse()).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'gone',
    });
  });

  it('cannot be given a status, nor a code outside the catalogue (checked by tsc in npm run lint)', () => {
    // @ts-expect-error a status is not a code: `404 VALIDATION_FAILED` cannot be written
    expect(() => new AppException(404, 'VALIDATION_FAILED')).toThrow();
    // @ts-expect-error free strings are not codes
    expect(() => new AppException('NOT_A_CODE', 'x')).toThrow();
  });
});
