import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OPENAPI_PATH } from '../src/docs/openapi-document';
import {
  ContractValidator,
  takeViolations,
  validateResponsesOf,
  type ObservedResponse,
} from './support/openapi-validation';

/** The response validator itself: what it refuses, and that a refused response is recorded. */
const document = JSON.parse(fs.readFileSync(OPENAPI_PATH, 'utf8')) as OpenAPIObject;
const validator = new ContractValidator(document);

const flag = {
  id: 'f1',
  key: 'new-checkout',
  orgId: 'o1',
  global: false,
  description: null,
  active: true,
  rolloutPct: 100,
  scopes: null,
  createdById: null,
  updatedById: null,
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
};

function response(over: Partial<ObservedResponse> & { json?: unknown }): ObservedResponse {
  const { json, ...rest } = over;
  return {
    method: 'GET',
    url: '/ops/flags/new-checkout',
    status: 200,
    headers: { 'x-request-id': 'r-1', 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(json ?? flag)),
    ...rest,
  };
}

const envelope = (statusCode: number, code: string, extra: object = {}) => ({
  statusCode,
  code,
  message: 'm',
  requestId: 'r-1',
  ...extra,
});

describe('response validation against the OpenAPI document (test/support/openapi-validation.ts)', () => {
  it('accepts a response that matches: scopes null, details as a field list or an object', () => {
    expect(validator.check(response({}))).toEqual([]);
    const fields = envelope(400, 'VALIDATION_FAILED', {
      details: [{ field: 'page', errors: ['page must be an integer'] }],
    });
    expect(validator.check(response({ url: '/ops/flags/k/audit?page=1.5', status: 400, json: fields }))).toEqual([]);
    const role = envelope(403, 'INSUFFICIENT_ROLE', { details: { required: 'L4', actual: 'L1' } });
    expect(validator.check(response({ status: 403, json: role }))).toEqual([]);
  });

  it('refuses an undocumented status, a body off its schema and an undocumented field', () => {
    expect(
      validator.check(response({ url: '/ops/flags/k/evaluate', status: 403, json: envelope(403, 'FORBIDDEN') })),
    ).toEqual([expect.stringContaining('status 403 is not documented for GET /ops/flags/k/evaluate')]);
    expect(validator.check(response({ json: { ...flag, scopes: 'all' } })).join('\n')).toContain('body /scopes');
    expect(validator.check(response({ json: { ...flag, secret: 1 } })).join('\n')).toContain(
      "additional properties 'secret'",
    );
    expect(validator.check(response({ status: 404, json: envelope(404, 'VALIDATION_FAILED') })).join('\n')).toContain(
      'body /code must be equal to one of the allowed values',
    );
  });

  it('requires X-Request-Id, WWW-Authenticate on 401 and Retry-After on 503', () => {
    expect(validator.check(response({ headers: { 'content-type': 'application/json' } }))).toContain(
      'no X-Request-Id header',
    );
    expect(validator.check(response({ status: 401, json: envelope(401, 'UNAUTHORIZED') }))).toContain(
      '401 without a WWW-Authenticate header',
    );
    expect(validator.check(response({ status: 503, json: envelope(503, 'DATABASE_UNAVAILABLE') }))).toContain(
      '503 without a Retry-After header',
    );
  });

  it('accepts only the middleware’s errors on a path no operation has', () => {
    expect(validator.check(response({ url: '/nope', status: 404, json: envelope(404, 'NOT_FOUND') }))).toEqual([]);
    expect(validator.check(response({ url: '/nope', status: 200, json: {} }))).toEqual([
      'GET /nope is not in the document, yet answered 200',
    ]);
  });

  it('records what a watched server sends that contradicts the document, for the running test to fail on', async () => {
    const server = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Request-Id', 'r-1');
      res.end(JSON.stringify({ ...flag, rolloutPct: 'all' }));
    });
    validateResponsesOf(server, () => validator);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect((await fetch(`http://127.0.0.1:${port}/ops/flags/new-checkout`)).status).toBe(200);
      const found = takeViolations();
      expect(found).toHaveLength(1);
      expect(found[0]).toContain('GET /ops/flags/new-checkout → 200 contradicts the OpenAPI document');
      expect(found[0]).toContain('body /rolloutPct must be integer');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
