import type { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Imported first by main.ts, before Express, Nest or pg are loaded, so OpenTelemetry can patch
 * them. Tracing is on when OTEL_EXPORTER_OTLP_ENDPOINT is set (and OTEL_SDK_DISABLED is not
 * true); off, this module requires nothing else and costs nothing.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT) && env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true';
}

let sdk: NodeSDK | undefined;

if (tracingRequested()) {
  // A lazy require on purpose: the SDK and its instrumentations load only when tracing is on.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracing } = require('./tracing') as typeof import('./tracing');
  sdk = startTracing();
}

/** Flush and stop the SDK (graceful shutdown), so the last spans are exported. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
