import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';
import type { INestApplication, LoggerService } from '@nestjs/common';

/**
 * How long a connection with nothing in flight is kept during a drain before it is closed: a
 * client may be sending a request on it right now (a just-accepted connection, or a keep-alive
 * one it is reusing). Such a request is served, with `Connection: close`.
 */
export const IDLE_CONNECTION_GRACE_MS = 1_000;
/**
 * A connection that has not sent its first request yet gets longer: a client connects, then
 * writes, and a loaded client can take seconds between the two (Node itself waits
 * headersTimeout for it). Closing it after 1 s reset requests the client had been promised a
 * connection for (the flaky "read ECONNRESET" of the SIGTERM test). The drain timeout still bounds it.
 */
export const FRESH_CONNECTION_GRACE_MS = 10_000;
/**
 * How long the listener keeps accepting after the signal. Connections a client opened just
 * before it may still wait in the kernel's accept queue; closing the listener at once would
 * reset them (ECONNRESET for a request the client already sent). They are accepted and answered
 * with `Connection: close`. Render has moved traffic to the new instance before it sends SIGTERM.
 */
export const ACCEPT_GRACE_MS = 500;
/**
 * The listener closes only after this long without a new connection (bounded by MAX_ACCEPT_MS).
 * Measured on the SIGTERM test: with 50 connections a client had opened (and written its request
 * on) before the signal, a busy process accepted the last of them up to 1.5 s after it, with
 * gaps of 300 ms between accepts. At 100 ms the listener closed in such a gap and the kernel
 * reset the connections still queued (9-14 "read ECONNRESET" in about half the runs); at 1 s,
 * 0 in 6 runs. Closing late costs nothing: Render has stopped routing before SIGTERM.
 */
const ACCEPT_QUIET_MS = 1_000;
const MAX_ACCEPT_MS = 5_000;
const SWEEP_INTERVAL_MS = 50;

interface TrackedSocket {
  active: number;
  /** When the connection opened or last finished a response. */
  idleSince: number;
  /** Responses in progress on it (to mark `Connection: close` when a drain starts), and when each request began. */
  responses: Map<ServerResponse, number>;
  /** Requests received on it so far. */
  served: number;
}

/**
 * Tracks every connection of the HTTP server for a drain that resets nothing a client has sent:
 * requests in progress finish and their responses close the connection; connections with
 * nothing in flight (just accepted, or keep-alive between requests) are closed only after
 * IDLE_CONNECTION_GRACE_MS without a request. Node's own server.close() destroys idle
 * connections at once, so a request a client had just written on one would see ECONNRESET.
 */
export class ConnectionDrainer {
  private readonly sockets = new Map<Socket, TrackedSocket>();
  private draining = false;
  private lastConnectionAt = 0;
  /** Connections destroyed with a request still in progress (a trickled body, the drain timeout). */
  forceClosed = 0;

  constructor(
    private readonly server: Server,
    /** A request whose body is still arriving after this long is cut during a drain (HTTP_REQUEST_TIMEOUT_MS). */
    private readonly requestTimeoutMs = Number.POSITIVE_INFINITY,
  ) {
    server.on('connection', (socket: Socket) => {
      this.lastConnectionAt = Date.now();
      this.sockets.set(socket, { active: 0, idleSince: Date.now(), responses: new Map(), served: 0 });
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const tracked = this.sockets.get(req.socket);
      tracked?.responses.set(res, Date.now());
      if (tracked) {
        tracked.active++;
        tracked.served++;
      }
      // During a drain every response closes its connection.
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        if (!tracked) return;
        tracked.responses.delete(res);
        tracked.active--;
        tracked.idleSince = Date.now();
      });
    });
  }

  get connections(): number {
    return this.sockets.size;
  }

  /**
   * Close each connection as soon as it has nothing in flight, stop accepting after
   * `acceptGraceMs`, and resolve when no connection is left.
   */
  async drain(acceptGraceMs = ACCEPT_GRACE_MS, onStopAccepting?: () => void): Promise<void> {
    this.draining = true;
    for (const tracked of this.sockets.values()) {
      for (const res of tracked.responses.keys()) if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    this.sweep();
    const timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    try {
      const started = Date.now();
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      if (acceptGraceMs > 0) {
        await sleep(acceptGraceMs);
        // Still accepting while connections keep arriving (a busy event loop accepts late).
        while (Date.now() - this.lastConnectionAt < ACCEPT_QUIET_MS && Date.now() - started < MAX_ACCEPT_MS)
          await sleep(ACCEPT_QUIET_MS);
        // Close from the check phase, after the poll phase has accepted what was queued.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(this.server, () => resolve()));
      onStopAccepting?.();
      await closed;
    } finally {
      clearInterval(timer);
    }
  }

  /** Destroy whatever is left (the drain timeout). */
  destroyAll(): void {
    for (const [socket, t] of this.sockets) {
      if (t.active > 0) this.forceClosed++;
      socket.destroy();
    }
  }

  /**
   * Close the connections idle for IDLE_CONNECTION_GRACE_MS (FRESH_CONNECTION_GRACE_MS before
   * their first request), and cut requests whose body is still arriving after requestTimeoutMs.
   *
   * An idle-looking connection is closed only after the event loop has POLLED once more: when
   * the process was descheduled or busy for a second (a loaded machine, a GC pause), timers run
   * before I/O is read, so a request sitting unread in the kernel's buffer would look like
   * nothing — and destroying its socket resets it (ECONNRESET for a request the client had sent
   * in time). setImmediate runs after this iteration's poll phase: by then any such request has
   * been parsed (the connection is active) or bytes have arrived (the grace restarts).
   */
  private sweep(): void {
    const now = Date.now();
    const candidates: [Socket, number][] = [];
    for (const [socket, t] of this.sockets) {
      const grace = t.served === 0 ? FRESH_CONNECTION_GRACE_MS : IDLE_CONNECTION_GRACE_MS;
      if (t.active === 0 && now - t.idleSince >= grace) candidates.push([socket, socket.bytesRead]);
      for (const [res, startedAt] of t.responses) {
        if (!res.req.complete && now - startedAt >= this.requestTimeoutMs) {
          this.forceClosed++;
          socket.destroy();
          break;
        }
      }
    }
    if (candidates.length === 0) return;
    setImmediate(() => {
      for (const [socket, bytesRead] of candidates) {
        const t = this.sockets.get(socket);
        if (!t || t.active > 0) continue;
        if (socket.bytesRead !== bytesRead) t.idleSince = Date.now();
        else socket.destroy();
      }
    });
  }
}

/**
 * On SIGTERM/SIGINT: stop accepting connections (after ACCEPT_GRACE_MS, for connections already
 * queued), let in-flight requests finish, close connections once idle for IDLE_CONNECTION_GRACE_MS,
 * force-close whatever is left after `timeoutMs`, then close the Nest application (which
 * disconnects Prisma) and exit 0. Render sends SIGTERM and waits maxShutdownDelaySeconds
 * (default 30 s) before SIGKILL, so the timeout must stay below it (SHUTDOWN_TIMEOUT_MS, 25 s).
 */
export function installGracefulShutdown(
  app: INestApplication,
  logger: LoggerService,
  timeoutMs: number,
  requestTimeoutMs = Number.POSITIVE_INFINITY,
): void {
  const server = app.getHttpServer() as Server;
  const drainer = new ConnectionDrainer(server, requestTimeoutMs);
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    const started = Date.now();
    logger.log(
      `${signal} received: draining in-flight requests (up to ${timeoutMs} ms, ${drainer.connections} open connection(s))`,
      'Shutdown',
    );
    const timer = setTimeout(() => {
      logger.warn(`shutdown timeout reached: closing ${drainer.connections} remaining connection(s)`, 'Shutdown');
      drainer.destroyAll();
    }, timeoutMs);
    await drainer.drain(ACCEPT_GRACE_MS, () =>
      logger.log(`stopped accepting connections (${drainer.connections} still open)`, 'Shutdown'),
    );
    clearTimeout(timer);
    await app.close();
    if (drainer.forceClosed > 0)
      logger.warn(
        `shut down in ${Date.now() - started} ms after force-closing ${drainer.forceClosed} connection(s) with a request in progress`,
        'Shutdown',
      );
    else logger.log(`shut down cleanly in ${Date.now() - started} ms`, 'Shutdown');
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));
}
