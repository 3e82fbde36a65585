import { RequestBodyError } from './request-body-error';

const bodyParserError = (type: string, status: number, message = 'Unexpected token s in JSON: {"secret"') =>
  Object.assign(new Error(message), { type, status, expose: true });

describe('RequestBodyError.fromBodyParser', () => {
  it("types body-parser's 4xx failures, with fixed messages that never quote the input", () => {
    const parse = RequestBodyError.fromBodyParser(bodyParserError('entity.parse.failed', 400));
    expect(parse).toBeInstanceOf(RequestBodyError);
    expect(parse).toMatchObject({ code: 'BAD_REQUEST', reason: 'entity.parse.failed', message: 'Malformed JSON body' });
    expect(RequestBodyError.fromBodyParser(bodyParserError('entity.too.large', 413))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body is too large',
    });
    expect(RequestBodyError.fromBodyParser(bodyParserError('charset.unsupported', 415))).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Unsupported charset',
    });
    expect(RequestBodyError.fromBodyParser(bodyParserError('some.other', 400))?.message).toBe('Bad request');
  });

  it('leaves everything else alone (5xx stream errors, plain errors, non-objects)', () => {
    expect(RequestBodyError.fromBodyParser(bodyParserError('stream.not.readable', 500))).toBeUndefined();
    expect(RequestBodyError.fromBodyParser(new Error('boom'))).toBeUndefined();
    expect(RequestBodyError.fromBodyParser(Object.assign(new Error('x'), { status: 400 }))).toBeUndefined();
    expect(RequestBodyError.fromBodyParser(null)).toBeUndefined();
    expect(RequestBodyError.fromBodyParser('entity.parse.failed')).toBeUndefined();
  });
});
