import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { LoginMethod } from '../../metrics/metrics.service';
import type { PasswordHasher } from './password-hasher';

/** The sign-ins that verify a bcrypt hash (so the hasher's admission decides them), by path. */
export const HASHED_LOGIN_PATHS: Readonly<Record<string, LoginMethod>> = {
  '/auth/login': 'password',
  '/auth/pin-login': 'pin',
};

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface LoginEdgeOptions {
  hasher: Pick<PasswordHasher, 'refusal' | 'enter'>;
  /** The 503 LOGIN_BUSY answer: its status and envelope (without the request id). */
  shed: { status: number; body: Record<string, unknown> };
  /**
   * Every header the app puts on that answer for a request from `origin` (security headers,
   * CORS, no-store, content type), but X-Request-Id and Retry-After: computed once, not per request.
   */
  headersFor(origin: string | undefined): OutgoingHttpHeaders;
  /** The request id, as the app gives it (the caller's X-Request-Id when well-formed, else a new one). */
  requestId(req: IncomingMessage): string;
  /** Counts a shed login (chefcloud_login_attempts_total and the HTTP request metrics); optional. */
  count?(method: LoginMethod, route: string, started: bigint): void;
  /**
   * How long a login let through counts against the next arrivals at most, if it has not been
   * answered, nor its body read, by then (a client that sends the headers and never the body).
   */
  enteredForMs: number;
  /** One summary line per `summaryEveryMs` while logins are shed (never one per request). */
  warn(message: string): void;
  summaryEveryMs?: number;
}

/**
 * The URL parser Express's router matches routes with (`parseurl`, through `router`), so that the
 * edge sees exactly the path Express would route: an absolute-form target (`POST http://host/auth/login`),
 * a fragment — whatever reaches the login handler reaches the edge first.
 */
const parseUrl = createRequire(
  createRequire(createRequire(require.resolve('@nestjs/platform-express')).resolve('express')).resolve('router'),
)('parseurl') as (req: { url?: string }) => { pathname?: string | null } | undefined;

/** The hashed-login method a request asks for, or undefined. Routed as Express routes (case, one trailing slash). */
export function hashedLoginMethod(method: string | undefined, url: string | undefined): LoginMethod | undefined {
  if (method !== 'POST' || url === undefined) return undefined;
  let pathname: string | null | undefined;
  try {
    pathname = parseUrl({ url })?.pathname;
  } catch {
    return undefined; // Express's router would not match it either
  }
  if (!pathname) return undefined;
  const path = pathname.toLowerCase();
  return HASHED_LOGIN_PATHS[path.endsWith('/') ? path.slice(0, -1) : path];
}

/** Shed answers written per turn of the event loop (see installLoginEdge). */
export const SHED_ANSWERS_PER_TURN = 16;
/** Shed answers waiting for their turn beyond which more are answered at once (a flood's memory bound). */
export const SHED_QUEUE_MAX = 2_048;

/**
 * Login admission at the socket edge: a listener in front of the app on the HTTP server's
 * `request` event. Under a spray (the issue's: 200 logins at once on a 2-core instance) the
 * whole burst is read in one turn of the event loop, and whatever each request costs in that
 * turn is paid before a liveness probe read in the same turn is answered. So the edge decides
 * every login at once, and spreads the work over the following turns:
 *
 * - a login the hasher would refuse is answered 503 LOGIN_BUSY + Retry-After by the edge itself,
 *   before its body is read, without Express, Nest or the exception filter: the same envelope
 *   and the same headers (security headers, CORS, request id, no-store), computed once rather
 *   than by a chain of middleware per request. The answers are written SHED_ANSWERS_PER_TURN
 *   per turn (writing one costs a socket write), within milliseconds; beyond SHED_QUEUE_MAX
 *   waiting, at once. Counted like the others,
 *   and logged as one summary line per second rather than a line each (a spray must not flood
 *   the logs);
 * - a login let through counts against the next arrivals at once (`hasher.enter`; until its
 *   body is read — `admit` counts it from there —, it is answered, its connection closes, or
 *   `enteredForMs` passes), and is handed to the app one per turn, in its own async context, so
 *   that the app's work for the logins admitted from one burst (parsing, validation, the
 *   throttle's reservation, the user lookup) interleaves with other requests instead of running
 *   in one block; one whose client left meanwhile is dropped.
 *
 * Which requests are logins is decided with the URL parser Express routes with, so no form of
 * the target reaches the login handler around the edge. Everything else goes to the app
 * untouched, in the same turn. The service's own `admit` stays the authority: a login let
 * through here can still be shed there.
 */
export function installLoginEdge(server: Server, options: LoginEdgeOptions): void {
  const app = server.listeners('request') as Handler[];
  server.removeAllListeners('request');
  const dispatch: Handler = (req, res) => {
    for (const handler of app) handler.call(server, req, res);
  };
  // Each admitted login runs in its own request's async context (tracing, logs), not in the
  // context of whichever request scheduled the turn.
  const admitted: (() => void)[] = [];
  const handOne = () => {
    admitted.shift()?.();
    if (admitted.length > 0) setImmediate(handOne);
  };
  const shed: Shed[] = [];
  const answerSome = () => {
    for (const one of shed.splice(0, SHED_ANSWERS_PER_TURN)) answer(one);
    if (shed.length > 0) setImmediate(answerSome);
  };
  const summaryEveryMs = options.summaryEveryMs ?? 1_000;
  let shedSinceSummary = 0;
  let summaryTimer: NodeJS.Timeout | undefined;
  const summarize = () => {
    summaryTimer = undefined;
    if (shedSinceSummary === 0) return;
    options.warn(
      `${shedSinceSummary} login(s) answered 503 LOGIN_BUSY at the edge in the last ${summaryEveryMs} ms (password hashing saturated)`,
    );
    shedSinceSummary = 0;
  };
  const answer = ({ req, res, method, retryAfter, started }: Shed) => {
    const requestId = options.requestId(req);
    const body = JSON.stringify({ ...options.shed.body, requestId });
    // setHeader, not writeHead's object: what reads the answer's headers in-process (tracing,
    // the tests' contract check) sees them as on any other answer.
    for (const [name, value] of Object.entries(options.headersFor(req.headers.origin))) res.setHeader(name, value!);
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Retry-After', String(retryAfter));
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.statusCode = options.shed.status;
    res.end(body);
    options.count?.(method, method === 'password' ? '/auth/login' : '/auth/pin-login', started);
    shedSinceSummary++;
    if (summaryTimer === undefined) {
      summaryTimer = setTimeout(summarize, summaryEveryMs);
      summaryTimer.unref();
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = hashedLoginMethod(req.method, req.url);
    if (method === undefined) {
      dispatch(req, res);
      return;
    }
    const retryAfter = options.hasher.refusal();
    if (retryAfter === undefined) {
      // Counted until the first of: its answer, its body read (it reaches `admit` right after,
      // which counts it from there), its connection closed (on Node 20 a response queued behind
      // another on a pipelined connection never emits 'close' when the socket dies), a deadline.
      const leave = options.hasher.enter();
      const socket = req.socket;
      const deadline = setTimeout(() => left(), options.enteredForMs);
      deadline.unref();
      const left = () => {
        clearTimeout(deadline);
        // A keep-alive connection carries many logins: its listener goes with each.
        socket.off('close', left);
        leave();
      };
      res.once('close', left);
      req.once('end', left);
      socket.once('close', left);
      admitted.push(
        AsyncResource.bind(() => {
          // A client gone while it waited: nothing to answer, nothing for the app to do.
          if (req.destroyed || res.destroyed || socket.destroyed) return left();
          dispatch(req, res);
        }),
      );
      if (admitted.length === 1) setImmediate(handOne);
      return;
    }
    const one = { req, res, method, retryAfter, started: process.hrtime.bigint() };
    if (shed.length >= SHED_QUEUE_MAX) return answer(one);
    shed.push(one);
    if (shed.length === 1) setImmediate(answerSome);
  });
}

interface Shed {
  req: IncomingMessage;
  res: ServerResponse;
  method: LoginMethod;
  retryAfter: number;
  started: bigint;
}
