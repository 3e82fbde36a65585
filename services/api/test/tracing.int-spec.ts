import { execFileSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createPrismaClient, DEMO_PASSWORD, seedDemoData } from '@chefcloud/db';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { DEMO } from './support/test-app';

/** One span as OTLP/HTTP JSON carries it (the fields this test reads). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
  scope: string;
}

const SERVER_KIND = 2;
const attr = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

/** A local OTLP/HTTP trace receiver on 127.0.0.1: collects every span it is sent. */
async function startReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const payload = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { scope: { name: string }; spans: Omit<OtlpSpan, 'scope'>[] }[] }[];
        };
        for (const rs of payload.resourceSpans)
          for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, scope: ss.scope.name });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'tracing' });
    const prisma = createPrismaClient({ url: db.url });
    await seedDemoData(prisma, { bcryptCost: 4, nodeEnv: 'test' });
    await prisma.$disconnect();
    receiver = await startReceiver();
    api = await startApiProcess(
      {
        DATABASE_URL: db.url,
        BCRYPT_COST: '4',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      90_000,
    ); // loading the SDK costs ~1 s of CPU: more on a busy machine
  });

  afterAll(async () => {
    await api?.stop();
    await receiver?.close();
    await db?.drop();
  });

  /** Spans of the trace whose server span answered the request with this id, once exported. */
  async function traceOf(requestId: string): Promise<{ root: OtlpSpan; spans: OtlpSpan[] }> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const line = api.logLines().find((l) => (l.req as { id?: string } | undefined)?.id === requestId);
      const traceId = line?.trace_id;
      const root = receiver.spans.find((s) => s.traceId === traceId && s.kind === SERVER_KIND);
      const pg = receiver.spans.find((s) => s.traceId === traceId && s.scope.includes('instrumentation-pg'));
      if (root && pg) return { root, spans: receiver.spans.filter((s) => s.traceId === traceId) };
      if (Date.now() > deadline)
        throw new Error(
          `no exported trace for request ${requestId}: log line ${JSON.stringify(line)}; spans received: ${JSON.stringify(receiver.spans.map((s) => [s.scope, s.name, s.traceId]))}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it("exports a login's span tree: HTTP server span → route (Express, Nest handler) → database queries", async () => {
    const res = await fetch(`${api.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-login-ok' },
      body: JSON.stringify({ email: DEMO.owner, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const { root, spans } = await traceOf('trace-login-ok');
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestors = (span: OtlpSpan): OtlpSpan[] => {
      const chain: OtlpSpan[] = [];
      for (let p = span.parentSpanId && byId.get(span.parentSpanId); p; p = p.parentSpanId && byId.get(p.parentSpanId))
        chain.push(p);
      return chain;
    };

    expect(root.parentSpanId ?? '').toBe('');
    expect(root.scope).toBe('@opentelemetry/instrumentation-http');
    expect(attr(root, 'http.route')).toBe('/auth/login');
    expect(attr(root, 'http.status_code') ?? attr(root, 'http.response.status_code')).toBe(200);

    // HTTP server span → Express's route handler → Nest's request context → the controller
    // handler → one span per SQL query (throttle counters, the user, the new session).
    const expressRoute = spans.find(
      (s) =>
        s.scope.includes('instrumentation-express') &&
        attr(s, 'express.type') === 'request_handler' &&
        attr(s, 'http.route') === '/auth/login',
    );
    expect(expressRoute?.parentSpanId).toBe(root.spanId);
    const requestContext = spans.find(
      (s) => s.scope.includes('instrumentation-nestjs-core') && attr(s, 'nestjs.type') === 'request_context',
    );
    expect(requestContext).toMatchObject({ name: 'AuthController.login', parentSpanId: expressRoute?.spanId });
    const handler = spans.find(
      (s) => s.scope.includes('instrumentation-nestjs-core') && attr(s, 'nestjs.type') === 'handler',
    );
    expect(handler).toMatchObject({ name: 'login', parentSpanId: requestContext?.spanId });

    const queries = spans.filter((s) => s.scope.includes('instrumentation-pg') && s.name.startsWith('pg.query'));
    expect(queries.length).toBeGreaterThanOrEqual(3);
    for (const query of queries) {
      expect(attr(query, 'db.system.name') ?? attr(query, 'db.system')).toBe('postgresql');
      const chain = ancestors(query);
      expect(chain).toContain(handler);
      expect(chain[chain.length - 1]).toBe(root);
    }
    expect(spans.every((s) => s.traceId === root.traceId)).toBe(true);
  });

  it('puts the trace id in every log line of a traced request, and none outside one', async () => {
    const res = await fetch(`${api.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-login-bad' },
      body: JSON.stringify({ email: DEMO.owner, password: 'not-the-password' }),
    });
    expect(res.status).toBe(401);
    const { root } = await traceOf('trace-login-bad');
    const lines = api.logLines().filter((l) => (l.req as { id?: string } | undefined)?.id === 'trace-login-bad');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      expect(line.trace_id).toBe(root.traceId);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
    const listening = api.logLines().find((l) => String(l.msg).startsWith('ChefCloud API listening'));
    expect(listening).toBeDefined();
    expect(listening?.trace_id).toBeUndefined();
  });

  it('does not trace health checks or metrics scrapes', async () => {
    await fetch(`${api.url}/api/health`);
    await fetch(`${api.url}/api/health/live`);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      receiver.spans.filter(
        (s) =>
          s.kind === SERVER_KIND &&
          /health|metrics/.test(String(attr(s, 'http.target') ?? attr(s, 'url.path') ?? s.name)),
      ),
    ).toEqual([]);
  });
});

describe('tracing off (the default)', () => {
  const register = path.resolve(__dirname, '../dist/tracing/register.js');
  const loaded = (env: NodeJS.ProcessEnv) =>
    execFileSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(register)}); console.log(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length)`,
      ],
      { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' },
    ).trim();

  it('loads no OpenTelemetry module at all without OTEL_EXPORTER_OTLP_ENDPOINT (or with OTEL_SDK_DISABLED=true)', () => {
    expect(loaded({})).toBe('0');
    expect(loaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' })).toBe('0');
    expect(Number(loaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }))).toBeGreaterThan(10);
  });
});
