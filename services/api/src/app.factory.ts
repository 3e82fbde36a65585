import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module';
import type { AppConfig } from './config/app-config';
import { applyConnectionTimeouts } from './common/http/connection-timeouts';
import { installLoginEdge } from './auth/passwords/login-edge.listener';
import { corsPolicy } from './common/http/cors-policy';
import { loginEdgeOptions } from './auth/passwords/login-edge.options';
import { noStore } from './common/http/no-store.middleware';
import { rejectHostileJson, requireJsonBodies, typeBodyParserErrors } from './common/http/request-guards.middleware';
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
  const securityHeaders = helmet();
  app.use(securityHeaders);
  // CORS before the body guards, so a browser can read their 400/413/415 answers too.
  const cors = corsPolicy(config.http.corsOrigins);
  app.enableCors(cors);
  // Token responses must never be stored by a browser or a proxy (RFC 6749 §5.1): every /auth
  // answer (each login variant, its errors too) says so.
  app.use('/auth', noStore);
  // HTTP metrics next, so requests refused before routing (413, 415, 400) are counted too.
  if (config.metrics.enabled) app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // JSON only: other content types with a body are 415; bodies nested too deep or holding NUL
  // characters are 400 before any handler runs; a body that does not inflate is 400.
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.use(typeBodyParserErrors);
  app.use(rejectHostileJson);
  // Global guards, pipe and filter: registered in one list, in run order (app.module.ts).
  if (config.apiDocsEnabled) setupOpenApi(app);
  applyConnectionTimeouts(app.getHttpServer() as Server, config.http);
  // In front of all of the above, on the HTTP server itself: under a spray, logins the hasher
  // would refuse are answered here (the same envelope and headers, at a fraction of the cost),
  // and the admitted ones reach the app one per turn of the event loop.
  installLoginEdge(app.getHttpServer() as Server, loginEdgeOptions(app, config, securityHeaders, cors));
  return app;
}
