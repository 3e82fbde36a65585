import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, type DynamicModule } from '@nestjs/common';
import pino, { type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { isMetricsPath } from '../metrics/metrics-paths';
import { traceLogFields } from '../tracing/trace-log-fields';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request id: the caller's X-Request-Id when it is well-formed, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The request id (see requestIdOf), also set as the answer's X-Request-Id. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const id = requestIdOf(req);
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Paths that must never be written to logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.access_token',
  '*.token',
  '*.secret',
  '*.jwtSecret',
];

/**
 * Structured JSON logs (pino) with the request id on every line; pretty on a TTY outside
 * production. `destination` (tests) receives the JSON lines instead of stdout.
 */
@Module({})
export class LoggerModule {
  static forRoot(config: AppConfig, destination?: NodeJS.WritableStream): DynamicModule {
    const options: Options = {
      level: config.log.level,
      genReqId: (req, res) => (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req, res),
      // Bound once on the root logger (not per request like pino-http's customProps).
      base: { service: 'chefcloud-api', pid: process.pid, hostname: os.hostname() },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // With tracing on, every line written inside a traced request carries its trace id.
      ...(config.tracing.endpoint ? { mixin: traceLogFields } : {}),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        // pino-http attaches a synthetic "failed with status code" error to 5xx lines; its stack
        // says nothing (the exception filter logs real failures with theirs), so keep the message.
        err: (err: Error) => ({ message: err.message }),
      },
      // Health checks are polled every few seconds: not logged per request (readiness logs its
      // state changes itself).
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/health') },
      // 500 is a bug (error); 503 and other 5xx are expected states (maintenance, database down).
      // Successful metrics scrapes (every 15-60 s, per scraper) are logged at debug only.
      customLogLevel: (req, res, err) =>
        err || res.statusCode === 500
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : isMetricsPath(req.url)
              ? 'debug'
              : 'info',
      ...(config.log.pretty && !destination
        ? { transport: { target: 'pino-pretty', options: { singleLine: true, colorize: true } } }
        : {}),
    };
    // stdout through sonic-boom in asynchronous mode: lines written while a write is in flight
    // are coalesced into one syscall (synchronous writes cost ~8% of a logged request under
    // load), nothing waits for a buffer to fill, and pino flushes what is pending on exit.
    const stream = destination ?? (options.transport ? undefined : pino.destination({ dest: 1, sync: false }));
    return {
      module: LoggerModule,
      imports: [PinoLoggerModule.forRoot({ pinoHttp: stream ? [options, stream as DestinationStream] : options })],
    };
  }
}
