import { ForbiddenException } from '@nestjs/common';
import { RequestBodyError } from '../http/request-body-error';
import { ERROR_MAPPERS, mapException } from './all-exceptions.filter';
import { mapBodyParsingError } from './mappers/body-parsing.mapper';
import { mapDatabaseError } from './mappers/database-error.mapper';
import { mapHttpException } from './mappers/http-exception.mapper';

describe('mapException', () => {
  it('asks the mappers in turn: HTTP exceptions, body parsing, the database', () => {
    expect(ERROR_MAPPERS).toEqual([mapHttpException, mapBodyParsingError, mapDatabaseError]);
    expect(mapException(new ForbiddenException()).status).toBe(403);
    expect(mapException(new RequestBodyError('BAD_REQUEST', 'entity.too.deep', 'too deep')).body.message).toBe(
      'too deep',
    );
    expect(mapException(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).status).toBe(503);
  });

  it('hides unknown errors behind a generic 500', () => {
    expect(mapException(new Error('secret internals'))).toEqual({
      status: 500,
      body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' },
    });
    // body-parser's raw errors are typed by typeBodyParserErrors; untyped, they are not trusted.
    expect(
      mapException(Object.assign(new Error('quoted {secret'), { type: 'entity.parse.failed', status: 400 })).status,
    ).toBe(500);
  });
});
