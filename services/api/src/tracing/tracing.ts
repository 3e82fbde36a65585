import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { isMetricsPath } from '../metrics/metrics-paths';

export const DEFAULT_SERVICE_NAME = 'chefcloud-api';

/**
 * OpenTelemetry traces over OTLP/HTTP: spans for every HTTP request (server and client),
 * Express routing, Nest's controller handlers and every PostgreSQL query (pg, under Prisma's
 * adapter). The exporter and the batch processor read the standard variables
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*; OTEL_SERVICE_NAME
 * overrides the service name). Only traces: the SDK's own metrics and logs stay off (metrics are
 * Prometheus's, logs are pino's with the trace id in each line). Health checks and metrics
 * scrapes are not traced (Render and Prometheus poll them every few seconds).
 *
 * Loaded only by tracing/register.ts, and only when tracing is on: with it off nothing of
 * OpenTelemetry is even required.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    traceExporter: new OTLPTraceExporter(),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => (req.url ?? '').startsWith('/api/health') || isMetricsPath(req.url),
      }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return sdk;
}
