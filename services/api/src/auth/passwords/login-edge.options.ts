import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../../config/app-config';
import { mapException } from '../../common/filters/all-exceptions.filter';
import { simpleCorsHeaders, type CorsPolicy } from '../../common/http/cors-policy';
import { requestIdOf } from '../../logging/logger.module';
import { statusClass } from '../../metrics/http-metrics.middleware';
import { MetricsService } from '../../metrics/metrics.service';
import { loginBusy } from '../auth.service';
import type { LoginEdgeOptions } from './login-edge.listener';
import { PasswordHasher } from './password-hasher';

type RawMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The headers a middleware sets regardless of the request (helmet's, with the app's options),
 * read once by running it on a stand-in response.
 */
function headersSetBy(middleware: RawMiddleware): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const res = {
    setHeader: (name: string, value: string | number | string[]) => (headers[name] = value),
    removeHeader: (name: string) => delete headers[name],
    getHeader: (name: string) => headers[name],
  };
  middleware(
    { headers: {}, method: 'POST', url: '/auth/login' } as IncomingMessage,
    res as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}

/**
 * What the login edge needs from the app: the hasher's admission, and the answer the app itself
 * gives a shed login — the envelope the exception filter makes of LOGIN_BUSY, the security
 * headers (those of the helmet instance the app uses), CORS (the same policy), the request id
 * and `Cache-Control: no-store` of every /auth answer — and the same counters.
 * test/login-edge.int-spec.ts compares the answer with the app's own.
 */
export function loginEdgeOptions(
  app: NestExpressApplication,
  config: AppConfig,
  securityHeaders: RawMiddleware,
  cors: CorsPolicy,
): LoginEdgeOptions {
  const metrics = app.get(MetricsService);
  const logger = new Logger('LoginEdge');
  const { status, body } = mapException(loginBusy(1));
  const base: OutgoingHttpHeaders = {
    ...headersSetBy(securityHeaders),
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  };
  const byOrigin = new Map<string | undefined, OutgoingHttpHeaders>();
  for (const origin of [undefined, ...(cors.origin || [])])
    byOrigin.set(origin, { ...base, ...simpleCorsHeaders(cors, origin) });
  return {
    hasher: app.get(PasswordHasher),
    shed: { status, body },
    headersFor: (origin) => byOrigin.get(origin) ?? byOrigin.get(undefined)!,
    requestId: requestIdOf,
    count(method, route, started) {
      metrics.loginAttempt(method, 'shed');
      if (!config.metrics.enabled) return;
      const labels = { method: 'POST', route, status_class: statusClass(status) };
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      metrics.httpRequests.inc(labels);
    },
    // As long as an admitted login may wait for a hashing slot, counted from its arrival.
    enteredForMs: config.loginHashing.queueWaitMs,
    warn: (message) => logger.warn(message),
  };
}
