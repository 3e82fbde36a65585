import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { applyContract, codesOfStatus, type OperationFacts } from './openapi-contract';
import { generateOpenApiDocument } from './openapi-document';

type Method = 'get' | 'post' | 'patch';

function op(doc: OpenAPIObject, method: Method, path: string): OperationObject {
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`${method} ${path} is not in the document`);
  return operation;
}

function response(operation: OperationObject, status: string): ResponseObject {
  return operation.responses[status] as ResponseObject;
}

function schema(doc: OpenAPIObject, name: string): SchemaObject {
  return doc.components?.schemas?.[name] as SchemaObject;
}

function everyOperation(doc: OpenAPIObject): [string, OperationObject][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const)
      .filter((m) => item[m])
      .map((m): [string, OperationObject] => [`${m.toUpperCase()} ${path}`, item[m] as OperationObject]),
  );
}

describe('the OpenAPI document says what the API does (openapi-contract.ts)', () => {
  let doc: OpenAPIObject;
  beforeAll(async () => {
    doc = await generateOpenApiDocument();
  });

  it('has a server, bearer security by default and security: [] on exactly the public routes', () => {
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) as string }]);
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(op(doc, 'post', '/auth/login').security).toEqual([]);
    expect(op(doc, 'get', '/api/health').security).toEqual([]);
    expect(op(doc, 'get', '/api/health/live').security).toEqual([]);
    expect(op(doc, 'get', '/auth/me').security).toEqual([{ bearer: [] }]);
    for (const [name, operation] of everyOperation(doc)) {
      if (operation.security?.length)
        expect([name, Object.keys(operation.responses)]).toEqual([name, expect.arrayContaining(['401'])]);
    }
  });

  it('documents X-Request-Id on every response, WWW-Authenticate on 401 and Retry-After on 429/503', () => {
    for (const [name, operation] of everyOperation(doc)) {
      for (const [status, res] of Object.entries(operation.responses) as [string, ResponseObject][]) {
        const headers = Object.keys(res.headers ?? {});
        expect([name, status, headers]).toEqual([name, status, expect.arrayContaining(['X-Request-Id'])]);
        if (status === '401') expect([name, headers]).toEqual([name, expect.arrayContaining(['WWW-Authenticate'])]);
        if (status === '429' || status === '503')
          expect([name, status, headers]).toEqual([name, status, expect.arrayContaining(['Retry-After'])]);
      }
    }
  });

  it('documents 400, 413 and 415 on every operation with a body, and bodies refuse unknown fields', () => {
    for (const [name, operation] of everyOperation(doc)) {
      if (!operation.requestBody) continue;
      expect([name, Object.keys(operation.responses)]).toEqual([name, expect.arrayContaining(['400', '413', '415'])]);
    }
    for (const name of ['LoginDto', 'CreateFeatureFlagDto', 'UpdateFeatureFlagDto', 'FlagChangeDto', 'FlagScopesDto'])
      expect([name, schema(doc, name).additionalProperties]).toEqual([name, false]);
  });

  it('marks the optional bodies of toggle and kill as not required, and login’s as required', () => {
    expect(op(doc, 'patch', '/ops/flags/{key}/toggle').requestBody).toMatchObject({ required: false });
    expect(op(doc, 'post', '/ops/flags/{key}/kill').requestBody).toMatchObject({ required: false });
    expect(op(doc, 'post', '/auth/login').requestBody).toMatchObject({ required: true });
  });

  it('documents 400 on toggle, audit and kill, 503 on /auth routes, and no 403 on evaluate (no role check)', () => {
    for (const [method, path] of [
      ['patch', '/ops/flags/{key}/toggle'],
      ['get', '/ops/flags/{key}/audit'],
      ['post', '/ops/flags/{key}/kill'],
    ] as const)
      expect(Object.keys(op(doc, method, path).responses)).toContain('400');
    for (const [method, path] of [
      ['post', '/auth/login'],
      ['get', '/auth/me'],
      ['post', '/auth/logout'],
      ['get', '/auth/sessions'],
    ] as const)
      expect(Object.keys(op(doc, method, path).responses)).toContain('503');
    expect(Object.keys(op(doc, 'get', '/ops/flags/{key}/evaluate').responses)).not.toContain('403');
  });

  it('gives every error the envelope of its status, details a field list or an object', () => {
    expect(response(op(doc, 'post', '/auth/login'), '400').content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Error400',
    });
    const error400 = schema(doc, 'Error400');
    expect(error400.properties?.code).toMatchObject({ enum: codesOfStatus(400) });
    expect(error400.properties?.details).toEqual(
      expect.objectContaining({
        oneOf: [
          { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
          { type: 'object', additionalProperties: true },
        ],
      }),
    );
  });

  it('makes nullable references nullable (scopes: null), page an integer, and gives health real schemas', () => {
    expect(schema(doc, 'FeatureFlagDto').properties?.scopes).toEqual({
      oneOf: [{ $ref: '#/components/schemas/FlagScopesDto' }, { type: 'object', nullable: true, enum: [null] }],
    });
    const page = op(doc, 'get', '/ops/flags/{key}/audit').parameters?.find((p) => 'name' in p && p.name === 'page');
    expect(page).toMatchObject({ schema: { type: 'integer' } });
    expect(response(op(doc, 'get', '/api/health'), '200').content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/ReadinessDto',
    });
    expect(response(op(doc, 'get', '/api/health/live'), '200').content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/LivenessDto',
    });
  });

  it('refuses an operation it has no route metadata for', () => {
    const bare: OpenAPIObject = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: { '/x': { get: { operationId: 'X_get', responses: { '200': { description: 'ok' } } } } },
    };
    expect(() => applyContract(bare, new Map<string, OperationFacts>())).toThrow(
      /no route metadata for operation X_get/,
    );
  });
});
