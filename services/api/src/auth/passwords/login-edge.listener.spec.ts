import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { hashedLoginMethod, installLoginEdge, SHED_QUEUE_MAX, type LoginEdgeOptions } from './login-edge.listener';

describe('hashedLoginMethod (which requests the edge looks at)', () => {
  it('routes as Express does: case-insensitive, one trailing slash, the query ignored; POST only', () => {
    expect(hashedLoginMethod('POST', '/auth/login')).toBe('password');
    expect(hashedLoginMethod('POST', '/AUTH/Login/')).toBe('password');
    expect(hashedLoginMethod('POST', '/auth/login?next=%2F')).toBe('password');
    expect(hashedLoginMethod('POST', '/auth/pin-login')).toBe('pin');
    // What Express's router (parseurl) also routes to the login: an absolute-form target, a fragment.
    expect(hashedLoginMethod('POST', 'http://api.example/auth/login')).toBe('password');
    expect(hashedLoginMethod('POST', '/auth/login#x')).toBe('password');
    for (const [method, url] of [
      ['POST', '/auth/%6Cogin'], // the router matches the raw path: not the login route
      ['POST', '/auth\\login'],
      ['POST', '//auth/login'],
      ['GET', '/auth/login'],
      ['POST', '/auth/login//'],
      ['POST', '/auth/login/extra'],
      ['POST', '/auth/msr-swipe'], // badges hash nothing
      ['POST', '/auth/logout'],
      ['POST', '/ops/flags'],
    ])
      expect(hashedLoginMethod(method, url)).toBeUndefined();
  });
});

describe('installLoginEdge (in front of the app on a real HTTP server)', () => {
  let server: http.Server;
  let url: string;
  let refusal: number | undefined;
  let entered = 0;
  const seen: string[] = [];
  const counted: string[] = [];
  const warned: string[] = [];

  beforeAll(async () => {
    // The "app": answers 200 with the order in which it saw requests.
    server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(`${req.method} ${req.url}`);
      res.end('app');
    });
    const options: LoginEdgeOptions = {
      hasher: {
        refusal: () => refusal,
        // As the hasher's: leaving twice counts once.
        enter: () => {
          entered++;
          let left = false;
          return () => {
            if (!left) entered--;
            left = true;
          };
        },
      },
      shed: { status: 503, body: { statusCode: 503, code: 'LOGIN_BUSY' } },
      headersFor: (origin) => ({
        'Content-Type': 'application/json',
        'X-Frame-Options': 'DENY',
        'X-Origin': origin ?? '-',
      }),
      requestId: () => 'rid-1',
      enteredForMs: 200,
      count: (method, route) => counted.push(`${method} ${route}`),
      warn: (message) => warned.push(message),
      summaryEveryMs: 500,
    };
    installLoginEdge(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = counted.length = warned.length = 0;
    refusal = undefined;
  });

  /** A request the edge lets through, as the HTTP server emits it (no network). */
  const fakeLogin = (url = '/auth/login') => {
    const socket = Object.assign(new EventEmitter(), { destroyed: false });
    const req = Object.assign(new EventEmitter(), { method: 'POST', url, headers: {}, socket, destroyed: false });
    const res = Object.assign(new EventEmitter(), { destroyed: false, end: () => undefined });
    return { req, res, socket, emit: () => server.emit('request', req, res) };
  };

  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

  it('answers a login the hasher refuses itself: the envelope, the headers, Retry-After, counted; the app never sees it', async () => {
    refusal = 4;
    const res = await post('/auth/login', { origin: 'https://a.example' });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ statusCode: 503, code: 'LOGIN_BUSY', requestId: 'rid-1' });
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'application/json',
      'x-frame-options': 'DENY',
      'x-origin': 'https://a.example',
      'x-request-id': 'rid-1',
      'retry-after': '4',
      'content-length': String('{"statusCode":503,"code":"LOGIN_BUSY","requestId":"rid-1"}'.length),
    });
    const pin = await post('/auth/pin-login');
    expect(pin.status).toBe(503);
    await pin.text();
    expect(seen).toEqual([]);
    expect(counted).toEqual(['password /auth/login', 'pin /auth/pin-login']);
  });

  it('logs one summary line per interval while logins are shed, never one per login', async () => {
    await new Promise((r) => setTimeout(r, 550)); // the previous test's summary
    warned.length = 0;
    refusal = 1;
    for (let i = 0; i < 3; i++) await (await post('/auth/login')).text();
    expect(warned).toEqual([]);
    await new Promise((r) => setTimeout(r, 600));
    expect(warned).toEqual([
      '3 login(s) answered 503 LOGIN_BUSY at the edge in the last 500 ms (password hashing saturated)',
    ]);
  });

  it('hands an admitted login to the app on a later turn, counted against the next ones until answered', async () => {
    const res = await post('/auth/login');
    expect(await res.text()).toBe('app');
    expect(seen).toEqual(['POST /auth/login']);
    await new Promise((r) => setImmediate(r));
    expect(entered).toBe(0); // released once answered
    // In the turn it arrives, the edge has counted it (enter) before the app has seen it.
    const login = fakeLogin();
    login.emit();
    expect(entered).toBe(1);
    expect(seen).toEqual(['POST /auth/login']); // not yet
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);
    login.res.emit('close');
    expect(entered).toBe(0);
  });

  it('admits a burst one login per turn of the event loop, in order; other requests at once', async () => {
    seen.length = 0;
    const burst = [0, 1, 2].map((i) => fakeLogin(`/auth/login?n=${i}`));
    for (const login of burst) login.emit();
    server.emit('request', { method: 'POST', url: '/ops/flags', headers: {} }, { end: () => undefined });
    expect(seen).toEqual(['POST /ops/flags']);
    for (let turn = 1; turn <= 3; turn++) {
      await new Promise((r) => setImmediate(r));
      expect(seen.filter((s) => s.startsWith('POST /auth/login'))).toHaveLength(turn);
    }
    expect(seen.slice(1)).toEqual(['POST /auth/login?n=0', 'POST /auth/login?n=1', 'POST /auth/login?n=2']);
    for (const login of burst) login.res.emit('close');
    expect(entered).toBe(0);
  });

  it('stops counting a login let through at the first of: its body read, its connection closed, the deadline', async () => {
    entered = 0;
    const viaBody = fakeLogin();
    viaBody.emit();
    expect(entered).toBe(1);
    viaBody.req.emit('end');
    expect(entered).toBe(0);
    viaBody.res.emit('close'); // and only once
    expect(entered).toBe(0);
    // A pipelined response behind another never emits 'close' on Node 20: the socket's does.
    const viaSocket = fakeLogin();
    viaSocket.emit();
    expect(entered).toBe(1);
    viaSocket.socket.emit('close');
    expect(entered).toBe(0);
    expect(viaSocket.socket.listenerCount('close')).toBe(0);
    // Headers, and never a body: counted for enteredForMs (200 ms here), no longer.
    const silent = fakeLogin();
    silent.emit();
    expect(entered).toBe(1);
    await new Promise((r) => setTimeout(r, 260));
    expect(entered).toBe(0);
    expect(silent.socket.listenerCount('close')).toBe(0); // a keep-alive socket keeps no listener
    await new Promise((r) => setImmediate(r));
  });

  it('drops a login whose client left while it waited for its turn: the app never sees it', async () => {
    entered = 0;
    seen.length = 0;
    const gone = fakeLogin('/auth/login?gone');
    gone.emit();
    gone.socket.destroyed = true;
    gone.socket.emit('close');
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([]);
    expect(entered).toBe(0);
  });

  it('answers at once what is shed beyond SHED_QUEUE_MAX waiting answers (a flood’s memory bound)', async () => {
    refusal = 1;
    const answered: number[] = [];
    for (let i = 0; i <= SHED_QUEUE_MAX; i++) {
      const req = { method: 'POST', url: '/auth/login', headers: {} } as IncomingMessage;
      const res = {
        setHeader: () => undefined,
        end: () => answered.push(i),
      } as unknown as ServerResponse;
      server.emit('request', req, res);
    }
    expect(answered).toEqual([SHED_QUEUE_MAX]); // the one over the bound, in its own turn
    for (let turn = 0; answered.length <= SHED_QUEUE_MAX && turn < 1_000; turn++)
      await new Promise((r) => setImmediate(r));
    expect(answered).toHaveLength(SHED_QUEUE_MAX + 1);
    refusal = undefined;
  });
});
