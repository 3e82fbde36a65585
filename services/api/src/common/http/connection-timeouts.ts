import type { Server } from 'node:http';

export interface ConnectionTimeouts {
  keepAliveTimeoutMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/**
 * Node's defaults do not suit a service behind a proxy:
 *  - keepAliveTimeout (5 s) is shorter than a proxy's idle timeout (60 s is common): the proxy
 *    reuses a connection we are closing at that instant and its request is reset. Ours is
 *    HTTP_KEEP_ALIVE_TIMEOUT_MS (65 s), so the proxy always closes first;
 *  - headersTimeout stays above it (HTTP_HEADERS_TIMEOUT_MS, default +1 s), the usual pairing;
 *  - requestTimeout (300 s) would let a trickled body hold a connection, and a shutdown, for
 *    five minutes: HTTP_REQUEST_TIMEOUT_MS (20 s) keeps it below SHUTDOWN_TIMEOUT_MS.
 */
export function applyConnectionTimeouts(server: Server, timeouts: ConnectionTimeouts): void {
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
}
