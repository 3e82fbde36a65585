// First: OpenTelemetry (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must patch http, Express, Nest
// and pg before anything loads them.
import './tracing/register';
import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { ConfigValidationError, loadConfig, type AppConfig } from './config/app-config';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { lowerThreadPoolPriority } from './lifecycle/thread-pool-priority';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`chefcloud-api: ${error.message}\nSee README.md ("Configuration") for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  // Before anything uses libuv's pool (on Node 20 its threads are known by when they appear).
  const pool = await lowerThreadPoolPriority(config.threadPoolNice);
  const app = await createApp(config);
  const logger = app.get(Logger);
  logger.log(
    pool.skipped ? { threadPool: pool } : { threadPool: { nice: pool.nice, threads: pool.threads.length } },
    pool.skipped
      ? `thread pool priority unchanged: ${pool.skipped}`
      : `thread pool (${pool.threads.length} threads) at nice ${pool.nice}, below the event loop`,
    'Bootstrap',
  );
  if (config.jwt.secretGenerated) {
    logger.warn(
      'JWT_SECRET is not set: using a random secret for this process (tokens will not survive a restart). Set JWT_SECRET; it is required in production.',
      'Bootstrap',
    );
  }
  installGracefulShutdown(app, logger, config.shutdownTimeoutMs, config.http.requestTimeoutMs);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log({ port, nodeEnv: config.nodeEnv }, `ChefCloud API listening on http://localhost:${port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `chefcloud-api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
