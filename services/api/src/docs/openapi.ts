import fs from 'node:fs';
import path from 'node:path';
import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IS_PUBLIC } from '../auth/decorators/public.decorator';
import { MIN_ROLE } from '../auth/roles/roles.decorator';
import { REQUIRED_FLAG } from '../feature-flags/require-flag.guard';
import { ALLOW_DURING_MAINTENANCE } from '../maintenance/allow-during-maintenance.decorator';
import { applyContract, type OperationFacts } from './openapi-contract';
import { METRICS_SECURITY } from '../metrics/metrics.controller';

const WRITE_METHODS = new Set<RequestMethod>([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
  RequestMethod.DELETE,
]);

/** The API's version, from services/api/package.json (the same from src/ under Jest and from dist/). */
export function apiVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The route metadata of every handler, keyed by the operationId @nestjs/swagger gives it
 * (`<Controller>_<method>`): public or not, minimum role, write-blocked or not.
 */
export function operationFacts(app: INestApplication): Map<string, OperationFacts> {
  const reflector = app.get(Reflector);
  const facts = new Map<string, OperationFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const targets = [handler, controller];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        facts.set(`${controller.name}_${name}`, {
          isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) ?? false,
          minRole: reflector.getAllAndOverride<string | undefined>(MIN_ROLE, targets),
          writeBlocked:
            WRITE_METHODS.has(method) &&
            !reflector.getAllAndOverride<boolean | undefined>(ALLOW_DURING_MAINTENANCE, targets),
          requiresFlag: reflector.getAllAndOverride<string | undefined>(REQUIRED_FLAG, targets) !== undefined,
        });
      }
    }
  }
  return facts;
}

/**
 * The OpenAPI document: built from the controllers' decorators, then completed from the route
 * metadata and the global enhancers (openapi-contract.ts). `npm run openapi:generate` writes it
 * to docs/openapi.json; the integration tests validate every response against it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ChefCloud Core API')
    .setDescription(
      'Authentication, change control (maintenance windows, feature flags) and health. ' +
        'Errors always have the shape { statusCode, code, message, requestId, details? }; ' +
        'every response carries X-Request-Id.',
    )
    .setVersion(apiVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (the metrics paths only)' },
      METRICS_SECURITY,
    )
    .build();
  return applyContract(SwaggerModule.createDocument(app, config), operationFacts(app));
}

/** Swagger UI at /api/docs and the JSON document at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'ChefCloud Core API',
  });
}
