import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';

/**
 * On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (closing idle
 * keep-alive sockets at once), force-close whatever is left after `timeoutMs`, then close the
 * Nest application (which disconnects Prisma) and exit 0. Render sends SIGTERM and waits
 * maxShutdownDelaySeconds (default 30 s) before SIGKILL, so the timeout must stay below it.
 */
export function installGracefulShutdown(app: INestApplication, logger: LoggerService, timeoutMs: number): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    const started = Date.now();
    logger.log(`${signal} received: draining in-flight requests (up to ${timeoutMs} ms)`, 'Shutdown');
    const server = app.getHttpServer() as Server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const timer = setTimeout(() => {
      logger.warn(`shutdown timeout reached: closing remaining connections`, 'Shutdown');
      server.closeAllConnections();
    }, timeoutMs);
    await closed;
    clearInterval(idleSweep);
    clearTimeout(timer);
    await app.close();
    logger.log(`shut down cleanly in ${Date.now() - started} ms`, 'Shutdown');
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));
}
