import http from 'node:http';
import { DEMO_PASSWORD, seedDemoData, createPrismaClient } from '@chefcloud/db';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { startApiProcess } from './support/api-process';
import { recordFigures } from './support/reliability';
import { portOpen } from './support/net';

describe('graceful shutdown of the built API (real PostgreSQL, a real process)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'shutdown' });
    const prisma = createPrismaClient({ url: db.url });
    await seedDemoData(prisma, { bcryptCost: 4, nodeEnv: 'test' });
    await prisma.$disconnect();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('on SIGTERM under load finishes all 50 in-flight requests, closes the database client and exits 0', async () => {
    const api = await startApiProcess({
      DATABASE_URL: db.url,
      BCRYPT_COST: '4',
      LOGIN_THROTTLE_IP_LIMIT: '1000',
      LOGIN_THROTTLE_ACCOUNT_LIMIT: '1000',
      // All 50 must be checked (none shed, none waiting out the pool): this test is about the
      // drain, not about shedding on a loaded machine.
      LOGIN_HASH_QUEUE_MAX: '100',
      LOGIN_HASH_QUEUE_WAIT_MS: '60000',
      DATABASE_CONNECT_TIMEOUT_MS: '20000',
    });
    // 50 logins keep the API busy for seconds (at bcrypt cost 10 they took longer than the 25 s
    // drain limit on a loaded CI machine, and the drain then rightly force-closed the rest). SIGTERM goes out once
    // every request has been written to its connection: then all 50 are in flight, however
    // slowly this (loaded) machine runs either process.
    const written: Promise<void>[] = [];
    const requests = Array.from({ length: 50 }, (_, i) => {
      const body = JSON.stringify({
        email: 'manager@demo-bistro.test',
        password: i % 2 ? DEMO_PASSWORD : 'wrong-password',
      });
      return new Promise<number | string>((resolve) => {
        const req = http.request(
          `${api.url}/auth/login`,
          { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () =>
              resolve(res.statusCode === 200 || res.statusCode === 401 ? res.statusCode : `${res.statusCode}: ${text}`),
            );
          },
        );
        req.on('error', (error) => resolve(`failed: ${String(error)}`));
        written.push(new Promise((done) => req.on('finish', () => done())));
        req.end(body);
      });
    });
    await Promise.all(written);
    const signalledAt = Date.now();
    const code = api.stop('SIGTERM');
    const statuses = await Promise.all(requests);
    expect(statuses.filter((s) => s !== 200 && s !== 401)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(25);
    expect(await code).toBe(0);
    recordFigures('sigterm-under-load', {
      inFlight: requests.length,
      completed: statuses.filter((s) => s === 200 || s === 401).length,
      resetOrFailed: statuses.filter((s) => s !== 200 && s !== 401).length,
      exitCode: 0,
      shutdownMs: Date.now() - signalledAt,
    });
    const messages = api.logLines().map((l) => String(l.msg));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SIGTERM received: draining in-flight requests/),
        'database client closed',
        expect.stringMatching(/^shut down cleanly in \d+ ms$/),
      ]),
    );
    expect(await portOpen(api.port)).toBe(false);
  });

  it('keeps accepting for a short grace (connections already queued), then refuses, still finishing what is in flight', async () => {
    const api = await startApiProcess({ DATABASE_URL: db.url, BCRYPT_COST: '4', LOGIN_THROTTLE_IP_LIMIT: '1000' });
    const slow = fetch(`${api.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@demo-bistro.test', password: DEMO_PASSWORD }),
    });
    await new Promise((r) => setTimeout(r, 20));
    api.child.kill('SIGTERM');
    // Connections are still accepted (and answered with Connection: close) during the grace...
    while (!api.output().includes('SIGTERM received')) await new Promise((r) => setTimeout(r, 5));
    const during = await fetch(`${api.url}/api/health/live`);
    expect(during.headers.get('connection')).toBe('close');
    // ...and refused once the listener has closed.
    while (!api.output().includes('stopped accepting connections')) await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(`${api.url}/api/health/live`)).rejects.toThrow();
    expect((await slow).status).toBe(200);
    expect(await api.exited).toBe(0);
  });
});
