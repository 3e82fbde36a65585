import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashedLoginMethod, installLoginEdge, type LoginEdgeOptions } from './login-edge.listener';

describe('hashedLoginMethod (which requests the edge looks at)', () => {
  it('routes as Express does: case-insensitive, one trailing slash, the query ignored; POST only', () => {
    expect(hashedLoginMethod('POST', '/auth/login')).toBe('password');
    expect(hashedLoginMethod('POST', '/AUTH/Login/')).toBe('password');
    expect(hashedLoginMethod('POST', '/auth/login?next=%2F')).toBe('password');
    expect(hashedLoginMethod('POST', '/auth/pin-login')).toBe('pin');
    for (const [method, url] of [
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
        enter: () => {
          entered++;
          return () => entered--;
        },
      },
      shed: { status: 503, body: { statusCode: 503, code: 'LOGIN_BUSY' } },
      headersFor: (origin) => ({
        'Content-Type': 'application/json',
        'X-Frame-Options': 'DENY',
        'X-Origin': origin ?? '-',
      }),
      requestId: () => 'rid-1',
      count: (method, route) => counted.push(`${method} ${route}`),
      warn: (message) => warned.push(message),
      summaryEveryMs: 50,
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
    await new Promise((r) => setTimeout(r, 80)); // the previous test's summary
    warned.length = 0;
    refusal = 1;
    for (let i = 0; i < 3; i++) await (await post('/auth/login')).text();
    expect(warned).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    expect(warned).toEqual([
      '3 login(s) answered 503 LOGIN_BUSY at the edge in the last 50 ms (password hashing saturated)',
    ]);
  });

  it('hands an admitted login to the app on a later turn, counted against the next ones until answered', async () => {
    const res = await post('/auth/login');
    expect(await res.text()).toBe('app');
    expect(seen).toEqual(['POST /auth/login']);
    await new Promise((r) => setImmediate(r));
    expect(entered).toBe(0); // released once answered
    // In the turn it arrives, the edge has counted it (enter) before the app has seen it.
    const req = { method: 'POST', url: '/auth/login', headers: {} } as IncomingMessage;
    const closeListeners: (() => void)[] = [];
    const res2 = {
      once: (event: string, listener: () => void) => event === 'close' && closeListeners.push(listener),
      end: () => undefined,
    } as unknown as ServerResponse;
    server.emit('request', req, res2);
    expect(entered).toBe(1);
    expect(seen).toEqual(['POST /auth/login']); // not yet
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);
    closeListeners.forEach((listener) => listener());
    expect(entered).toBe(0);
  });

  it('admits a burst one login per turn of the event loop, in order; other requests at once', async () => {
    const fakeReq = (url: string) => ({ method: 'POST', url, headers: {} }) as IncomingMessage;
    const fakeRes = { once: () => undefined, end: () => undefined } as unknown as ServerResponse;
    for (let i = 0; i < 3; i++) server.emit('request', fakeReq(`/auth/login?n=${i}`), fakeRes);
    server.emit('request', fakeReq('/ops/flags'), fakeRes);
    expect(seen).toEqual(['POST /ops/flags']);
    for (let turn = 1; turn <= 3; turn++) {
      await new Promise((r) => setImmediate(r));
      expect(seen.filter((s) => s.startsWith('POST /auth/login'))).toHaveLength(turn);
    }
    expect(seen.slice(1)).toEqual(['POST /auth/login?n=0', 'POST /auth/login?n=1', 'POST /auth/login?n=2']);
    entered = 0;
  });
});
