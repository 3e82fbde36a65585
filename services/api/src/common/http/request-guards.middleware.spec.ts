import type { NextFunction, Request, Response } from 'express';
import { RequestBodyError } from './request-body-error';
import { rejectHostileJson, requireJsonBodies, typeBodyParserErrors } from './request-guards.middleware';

const res = {} as Response;
const call = (middleware: (req: Request, res: Response, next: NextFunction) => void, req: Partial<Request>) => {
  const next = jest.fn();
  middleware(req as Request, res, next);
  return next.mock.calls[0]?.[0] as unknown;
};

describe('request guards', () => {
  it('refuse a body that is not JSON with a typed 415', () => {
    const error = call(requireJsonBodies, { headers: { 'content-length': '3' }, is: () => false });
    expect(error).toBeInstanceOf(RequestBodyError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', reason: 'content-type.unsupported' });
    expect(call(requireJsonBodies, { headers: {}, is: () => false })).toBeUndefined();
  });

  it('refuse hostile JSON with a typed 400', () => {
    expect(call(rejectHostileJson, { body: { a: 'x\u0000' } })).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'entity.nul',
    });
    expect(call(rejectHostileJson, { body: JSON.parse('{"__proto__":{}}') as unknown })).toMatchObject({
      reason: 'entity.forbidden.key',
    });
    for (const key of ['toString', 'valueOf', 'hasOwnProperty', 'constructor', 'prototype'])
      expect(call(rejectHostileJson, { body: { badgeId: 'x', [key]: [] } })).toMatchObject({
        reason: 'entity.forbidden.key',
      });
    expect(call(rejectHostileJson, { body: { a: [1, { b: 'ok' }] } })).toBeUndefined();
  });

  it("type body-parser's errors and pass everything else on unchanged", () => {
    const next = jest.fn();
    typeBodyParserErrors(
      Object.assign(new Error('{secret'), { type: 'entity.parse.failed', status: 400 }),
      {} as Request,
      res,
      next,
    );
    expect(next.mock.calls[0][0]).toMatchObject({ code: 'BAD_REQUEST', message: 'Malformed JSON body' });
    const other = new Error('bug');
    typeBodyParserErrors(other, {} as Request, res, next);
    expect(next.mock.calls[1][0]).toBe(other);
  });
});
