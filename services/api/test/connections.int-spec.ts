/**
 * HTTP connection timeouts of the built API (its own process, production mode): a fronting
 * proxy reuses idle keep-alive connections for up to its own idle timeout (often 60 s), so ours
 * must outlast it (HTTP_KEEP_ALIVE_TIMEOUT_MS, 65 s; Node's default of 5 s reset a request sent
 * on a connection idle ~6 s in 29 of 60 tries). A trickled request body cannot hold a shutdown:
 * HTTP_REQUEST_TIMEOUT_MS cuts it.
 *
 * @slow (~75 s, mostly idle keep-alive connections): starts first (jest.sequencer.js).
 */
import http from 'node:http';
import net from 'node:net';
import { createPrismaClient, seedDemoData } from '@chefcloud/db';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { committedValidator, recordResponse } from './support/openapi-validation';
import { recordFigures } from './support/reliability';

/** GET on `agent` (one keep-alive socket); resolves with the status and whether the socket was reused. */
function get(api: ApiProcess, agent: http.Agent): Promise<{ status: number; reused: boolean; port: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${api.url}/api/health/live`, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // Raw node:http, not fetch: validated against the contract here, like every other response.
        recordResponse(committedValidator(), {
          method: 'GET',
          url: '/api/health/live',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
        });
        resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, port: req.socket?.localPort ?? 0 });
      });
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HTTP connection timeouts (built API, real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'conn' });
    const prisma = createPrismaClient({ url: db.url });
    await seedDemoData(prisma, { bcryptCost: 4, nodeEnv: 'test' });
    await prisma.$disconnect();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reuses a keep-alive connection after 8 s and after 60 s idle (keepAliveTimeout 65 s, headersTimeout above it)', async () => {
    const api = await startApiProcess({ DATABASE_URL: db.url });
    const short = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 120_000 });
    const long = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 120_000 });
    try {
      const [a0, b0] = await Promise.all([get(api, short), get(api, long)]);
      const res = await fetch(`${api.url}/api/health/live`);
      expect(res.headers.get('keep-alive')).toBe('timeout=65');
      await sleep(8_000);
      const a1 = await get(api, short);
      await sleep(52_000);
      const b1 = await get(api, long);
      recordFigures('keep-alive', {
        keepAliveTimeoutMs: 65_000,
        afterIdle8s: { status: a1.status, sameConnection: a1.reused && a1.port === a0.port },
        afterIdle60s: { status: b1.status, sameConnection: b1.reused && b1.port === b0.port },
      });
      expect(a1).toEqual({ status: 200, reused: true, port: a0.port });
      expect(b1).toEqual({ status: 200, reused: true, port: b0.port });
    } finally {
      short.destroy();
      long.destroy();
      await api.stop();
    }
  }, 120_000);

  it('a trickled request body cannot hold a shutdown: it is cut after HTTP_REQUEST_TIMEOUT_MS, and the log says so', async () => {
    const api = await startApiProcess({
      DATABASE_URL: db.url,
      SHUTDOWN_TIMEOUT_MS: '20000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
    });
    const socket = net.connect(api.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.on('error', () => undefined);
    socket.write(
      'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":',
    );
    const trickle = setInterval(() => socket.write(' '), 200);
    try {
      await sleep(300);
      const signalled = Date.now();
      const code = await api.stop('SIGTERM');
      const shutdownMs = Date.now() - signalled;
      recordFigures('trickled-body-shutdown', { requestTimeoutMs: 2000, shutdownTimeoutMs: 20_000, shutdownMs });
      expect(code).toBe(0);
      expect(shutdownMs).toBeLessThan(10_000);
      const messages = api.logLines().map((l) => String(l.msg));
      expect(messages).toEqual(
        expect.arrayContaining([expect.stringMatching(/force-closing 1 connection\(s\) with a request in progress/)]),
      );
      expect(messages.some((m) => m.startsWith('shut down cleanly'))).toBe(false);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });
});
