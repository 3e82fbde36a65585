import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module';
import type { AppConfig } from './config/app-config';
import { applyConnectionTimeouts } from './common/http/connection-timeouts';
import { loginAdmission } from './auth/passwords/login-admission.middleware';
import { PasswordHasher } from './auth/passwords/password-hasher';
import { noStore } from './common/http/no-store.middleware';
import { rejectHostileJson, requireJsonBodies, typeBodyParserErrors } from './common/http/request-guards.middleware';
import { PAGINATION_HEADERS } from './common/pagination/pagination-headers';
import { setupOpenApi } from './docs/openapi';
import { requestIdFor } from './logging/logger.module';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';

function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Build the configured Nest application (used by main.ts and by the integration tests, so
 * tests exercise exactly what production runs).
 */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Release the boot logs buffered until the pino logger existed (and stop buffering), so log
  // lines written before listen() — and in tests, which never listen — are not held back.
  app.flushLogs();
  // Render (and most PaaS) put one proxy in front: trust it so req.ip is the client's address.
  app.set('trust proxy', trustProxySetting(config.http.trustProxy));
  app.disable('x-powered-by');
  // Request id first, so even body-parser errors are answered (and logged) with one.
  app.use(
    (
      req: { id?: string } & Parameters<typeof requestIdFor>[0],
      res: Parameters<typeof requestIdFor>[1],
      next: () => void,
    ) => {
      req.id = requestIdFor(req, res);
      next();
    },
  );
  // Security headers next, so every answer has them — the 400/413/415 of the body guards too.
  app.use(helmet());
  // CORS before the body guards, so a browser can read their 400/413/415 answers too.
  app.enableCors({
    origin: config.http.corsOrigins.length ? config.http.corsOrigins : false,
    credentials: true,
    methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
    // What the original ChefCloud web and desktop clients send, plus our own headers.
    allowedHeaders: [
      'Content-Type',
      'Authorization',
      'Accept',
      'X-Requested-With',
      'X-Idempotency-Key',
      'Idempotency-Key',
      'X-Client-Platform',
      'X-Org-Id',
      'X-Request-Id',
      'X-Maintenance-Bypass',
      'X-Bypass-Maintenance',
    ],
    // Readable by browser code: list paging, the request id of an error, and when to retry.
    exposedHeaders: [...PAGINATION_HEADERS, 'X-Request-Id', 'Retry-After'],
  });
  // Token responses must never be stored by a browser or a proxy (RFC 6749 §5.1): every /auth
  // answer (each login variant, its errors too) says so.
  app.use('/auth', noStore);
  // HTTP metrics next, so requests refused before routing (413, 415, 400) are counted too.
  if (config.metrics.enabled) app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // Under a spray, logins the hasher would refuse are shed here, before their body is parsed.
  app.use(loginAdmission(app.get(PasswordHasher), app.get(MetricsService)));
  // JSON only: other content types with a body are 415; bodies nested too deep or holding NUL
  // characters are 400 before any handler runs; a body that does not inflate is 400.
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.use(typeBodyParserErrors);
  app.use(rejectHostileJson);
  // Global guards, pipe and filter: registered in one list, in run order (app.module.ts).
  if (config.apiDocsEnabled) setupOpenApi(app);
  applyConnectionTimeouts(app.getHttpServer() as Server, config.http);
  return app;
}
