import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { METRICS_SECURITY } from '../metrics/metrics.controller';

/** The OpenAPI document, built from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ChefCloud Core API')
    .setDescription(
      'Authentication, change control (maintenance windows, feature flags) and health. ' +
        'Errors always have the shape { statusCode, code, message, requestId, details? }.',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (the metrics paths only)' },
      METRICS_SECURITY,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /api/docs and the JSON document at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'ChefCloud Core API',
  });
}
