import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  NotFoundException,
} from '@nestjs/common';
import { AppException } from '../../errors/app-exception';
import { mapHttpException } from './http-exception.mapper';

describe('mapHttpException', () => {
  it('sends an AppException as it is, with its headers', () => {
    const error = new AppException('TOO_MANY_ATTEMPTS', 'slow down', {
      headers: { 'Retry-After': '7' },
      extra: { retryAfterSeconds: 7 },
    });
    expect(mapHttpException(error)).toEqual({
      status: 429,
      body: { statusCode: 429, code: 'TOO_MANY_ATTEMPTS', message: 'slow down', retryAfterSeconds: 7 },
      headers: { 'Retry-After': '7' },
    });
  });

  it("keeps other HttpExceptions' statuses with the status's generic code", () => {
    expect(mapHttpException(new ForbiddenException())?.status).toBe(403);
    expect(mapHttpException(new NotFoundException('Cannot GET /nope'))?.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /nope',
    });
    expect(mapHttpException(new ConflictException('taken'))?.body).toMatchObject({
      statusCode: 409,
      code: 'CONFLICT',
      message: 'taken',
    });
    expect(mapHttpException(new HttpException('teapot', 418))?.body).toEqual({
      statusCode: 418,
      code: 'ERROR',
      message: 'teapot',
    });
    expect(mapHttpException(new HttpException({ message: 'm', details: { a: 1 } }, 400))?.body).toEqual({
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: 'm',
      details: { a: 1 },
    });
  });

  it('makes a list of messages a validation failure with the messages as details', () => {
    expect(mapHttpException(new BadRequestException(['email must be an email']))?.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Request validation failed',
      details: ['email must be an email'],
    });
  });

  it('passes through a body that is already an envelope', () => {
    const body = { statusCode: 503, code: 'MAINTENANCE', message: 'down', window: { id: 'w' } };
    expect(mapHttpException(new HttpException(body, 503))?.body).toEqual(body);
  });

  it('ignores what is not an HttpException', () => {
    expect(mapHttpException(new Error('x'))).toBeUndefined();
    expect(mapHttpException({ status: 400, message: 'x' })).toBeUndefined();
  });
});
