import { RequestBodyError } from '../../http/request-body-error';
import { mapBodyParsingError } from './body-parsing.mapper';

describe('mapBodyParsingError', () => {
  it('maps a RequestBodyError to its code, status and (safe) message', () => {
    expect(
      mapBodyParsingError(new RequestBodyError('UNSUPPORTED_MEDIA_TYPE', 'content-type.unsupported', 'JSON only')),
    ).toEqual({ status: 415, body: { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'JSON only' } });
    expect(mapBodyParsingError(new RequestBodyError('PAYLOAD_TOO_LARGE', 'entity.too.large', 'too large'))).toEqual({
      status: 413,
      body: { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'too large' },
    });
  });

  it('ignores anything else, including raw body-parser-shaped errors (typed at the source instead)', () => {
    expect(
      mapBodyParsingError(Object.assign(new Error('quoted {secret'), { type: 'entity.parse.failed', status: 400 })),
    ).toBeUndefined();
    expect(mapBodyParsingError(new Error('x'))).toBeUndefined();
  });
});
