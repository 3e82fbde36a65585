/**
 * The container check (`npm run test:containers`): what a user hits with Docker, for real.
 * Builds the image; runs it against a PostgreSQL container; runs `docker compose up --build`;
 * replays the incident in containers; proves the test harness's fallback and runs the whole
 * integration suite on the testcontainers path. Needs a Docker engine (on these machines:
 * ../shared/tools/container-standins/standins.sh up); never runs inside `npm test`.
 * Every container, network, volume and image it makes carries this run's id and is removed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, isDockerAvailable, migrateDeployBefore } from '@chefcloud/db/testing';
import { REPO_ROOT } from '../../src/repo';
import { docker, dockerOk, http, inspect, publishedPort, run, waitFor, type RunResult } from './docker';
import { buildCpuWeight } from './low-cpu-cgroup';
import { type ContainerCheckReport, writeLastRun } from '../../src/container-report';

const id = `${process.pid.toString(36)}${crypto.randomBytes(3).toString('hex')}`;
const TAG = `check-${id}`;
const IMAGE = `chefcloud-api:${TAG}`;
const BASE_IMAGE = 'node:22-bookworm-slim';
const POSTGRES_IMAGE = 'postgres:17';
const LABEL = `chefcloud-container-check=${id}`;
const LAYER_BUDGET_MB = 150;
const INCIDENT_MIGRATION = '20251029222740_change_control';
const DEMO = { email: 'owner@demo-bistro.test', password: 'ChefCloud-demo-2025' };
const jwtSecret = crypto.randomBytes(32).toString('hex');
const MB = 1024 * 1024;

const report: ContainerCheckReport = { when: new Date().toISOString(), steps: [] };
const created = { containers: [] as string[], networks: [] as string[], images: [] as string[] };

/** Time a step of the check for the report. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await fn();
  report.steps.push({ name, seconds: (Date.now() - started) / 1000 });
  return value;
}

/** The duration on turbo's closing `Time:` line of a run's log (`  Time:    10m58.395s`), in seconds. */
function turboSeconds(log: string): number {
  const times = [...log.matchAll(/^\s+Time:\s+(?:(\d+)m)?([\d.]+)s\s*$/gm)];
  const last = times.at(-1);
  return last ? Number(last[1] ?? 0) * 60 + Number(last[2]) : 0;
}

const name = (what: string) => `chefcloud-check-${id}-${what}`;

async function network(what: string, internal = false): Promise<string> {
  const net = name(what);
  await dockerOk(['network', 'create', '--label', LABEL, ...(internal ? ['--internal'] : []), net]);
  created.networks.push(net);
  return net;
}

/** `docker run -d` a labelled container on `net` (removed by the suite's cleanup); its name. */
async function runContainer(what: string, net: string, args: string[]): Promise<string> {
  const container = name(what);
  await dockerOk(['run', '-d', '--name', container, '--label', LABEL, '--network', net, ...args]);
  created.containers.push(container);
  return container;
}

async function startPostgres(what: string, net: string, publish: boolean): Promise<string> {
  const container = await runContainer(what, net, [
    ...(publish ? ['-p', '127.0.0.1::5432'] : []),
    '-e',
    'POSTGRES_USER=chefcloud',
    '-e',
    'POSTGRES_PASSWORD=chefcloud',
    '-e',
    'POSTGRES_DB=chefcloud',
    POSTGRES_IMAGE,
  ]);
  await waitFor(`${container} to accept connections`, async () => {
    const r = await docker(['exec', container, 'pg_isready', '-h', '127.0.0.1', '-U', 'chefcloud', '-d', 'chefcloud']);
    return r.code === 0 ? true : undefined;
  });
  return container;
}

async function startApi(what: string, net: string, databaseUrl: string): Promise<{ container: string; base: string }> {
  const container = await runContainer(what, net, [
    '-p',
    '127.0.0.1::3001',
    '-e',
    `DATABASE_URL=${databaseUrl}`,
    '-e',
    `JWT_SECRET=${jwtSecret}`,
    IMAGE,
  ]);
  const base = `http://127.0.0.1:${await publishedPort(container, 3001)}`;
  await waitFor(`${container} liveness`, async () =>
    (await http(`${base}/api/health/live`)).status === 200 ? true : undefined,
  );
  return { container, base };
}

/** `docker run --rm` of the image (a one-shot command such as `npm run db:deploy`). */
const runImage = (net: string, databaseUrl: string, command: string[], env: string[] = []): Promise<RunResult> =>
  docker([
    'run',
    '--rm',
    '--label',
    LABEL,
    '--network',
    net,
    '-e',
    `DATABASE_URL=${databaseUrl}`,
    ...env.flatMap((e) => ['-e', e]),
    IMAGE,
    ...command,
  ]);

const login = (base: string, email: string, password: string, headers: Record<string, string> = {}) =>
  http(`${base}/auth/login`, { method: 'POST', body: { email, password }, headers });

/** A command must exit with `code`; otherwise the test fails showing the end of its output. */
function expectExit(result: RunResult, code: number): void {
  if (result.code !== code) throw new Error(`exited ${result.code}, expected ${code}:\n${result.out.slice(-6000)}`);
}

beforeAll(async () => {
  if (!(await isDockerAvailable()))
    throw new Error(
      'no Docker engine answers on DOCKER_HOST or /var/run/docker.sock (on these machines: ../shared/tools/container-standins/standins.sh up, then eval "$(../shared/tools/container-standins/standins.sh env)")',
    );
});

afterAll(async () => {
  for (const container of created.containers.reverse()) await docker(['rm', '-f', '-v', container]);
  const leftovers = (await docker(['ps', '-aq', '--filter', `label=${LABEL}`])).out.split('\n').filter(Boolean);
  if (leftovers.length) await docker(['rm', '-f', '-v', ...leftovers]);
  for (const net of created.networks) await docker(['network', 'rm', net]);
  // The tag (compose's build of it last) and the check's own build, which compose's retagging
  // may have left untagged. The builder's cache (untagged stage images) stays for the next run.
  await docker(['rmi', IMAGE]);
  for (const image of created.images) await docker(['rmi', image]);
  writeLastRun(report);
});

describe('the image', () => {
  it('builds with CI’s install policy, no telemetry notice, and stays within the layer budget', async () => {
    // No --label here: it would change every stage's cache key, and compose's build below must
    // reuse this one's layers.
    // CONTAINER_CHECK_BUILD_CPU_SHARES: .ci/run builds at a low CPU weight beside its npm test.
    const shares = Number(process.env.CONTAINER_CHECK_BUILD_CPU_SHARES) || undefined;
    const weight = shares
      ? buildCpuWeight(
          `chefcloud-check-build-${id}`,
          shares,
          (await docker(['info', '--format', '{{.CgroupDriver}}'])).out.trim(),
        )
      : undefined;
    if (weight) report.buildCpuWeight = weight.how;
    const build = await step('docker build', () =>
      docker(['build', ...(weight?.args ?? []), '-t', IMAGE, '.']).finally(() => weight?.remove()),
    );
    expectExit(build, 0);
    created.images.push(await inspect(IMAGE, '{{.Id}}'));
    report.buildSeconds = build.ms / 1000;
    // Layers of an earlier build are reused while the lockfile and sources are unchanged.
    report.buildCachedSteps = (build.out.match(/Using cache/g) ?? []).length;
    // Dependency install scripts never run (--ignore-scripts everywhere): no Prisma engine
    // download, no analytics; turbo's telemetry notice is off.
    expect(build.out).not.toMatch(/prisma.*postinstall|Downloading Prisma engines/i);
    expect(build.out).not.toMatch(/Attention:\s*Turborepo now collects/i);
    const size = Number(await inspect(IMAGE, '{{.Size}}'));
    const base = Number(await inspect(BASE_IMAGE, '{{.Size}}'));
    report.imageMB = Math.round(size / MB);
    report.baseMB = Math.round(base / MB);
    report.layersAboveBaseMB = Math.round((size - base) / MB);
    expect(report.layersAboveBaseMB).toBeLessThanOrEqual(LAYER_BUDGET_MB);
    expect(await inspect(IMAGE, '{{.Config.User}}')).toBe('node');
  });

  it('against a PostgreSQL container: live, 503 until `npm run db:deploy` (offline) runs in it, then 200; 401; uid 1000; healthy; stops cleanly', async () => {
    await step('image against PostgreSQL', async () => {
      const net = await network('net');
      // `npm run db:deploy` runs on a network without any route out: migrations work offline.
      const offline = await network('offline', true);
      const pg = await startPostgres('pg', net, false);
      await dockerOk(['network', 'connect', offline, pg]);
      const url = `postgresql://chefcloud:chefcloud@${pg}:5432/chefcloud`;
      const api = await startApi('api', net, url);

      expect((await http(`${api.base}/api/health/live`)).status).toBe(200);
      const before = await http(`${api.base}/api/health`);
      expect(before.status).toBe(503);
      // Never migrated: not ready (the schema is behind, or unknown while no history table exists).
      expect(before.body).toMatchObject({ status: 'unavailable' });
      expect((before.body.schema as { state: string }).state).not.toBe('current');
      expect(before.headers.get('x-request-id')).toBeTruthy();
      expect(await dockerOk(['exec', api.container, 'id', '-u'])).toBe('1000');

      // What an operator reads before deploying, from the image: every migration pending, each
      // passing the migration lint (squawk runs in the image too).
      const pending = await runImage(offline, url, ['npm', 'run', '--silent', 'db:check']);
      expectExit(pending, 0);
      expect(pending.out).toContain('verdict: READY');

      const migrate = await runImage(offline, url, ['npm', 'run', 'db:deploy']);
      expectExit(migrate, 0);
      expect(migrate.out).toContain('All migrations have been successfully applied');
      expect(migrate.out).toContain('using the offline schema engine');
      expect(migrate.out).not.toMatch(/npm notice|update available/i);
      report.migrateSeconds = migrate.ms / 1000;

      const check = await runImage(offline, url, ['npm', 'run', '--silent', 'db:check']);
      expectExit(check, 0);
      expect(check.out).toContain('verdict: UP TO DATE');

      const after = await waitFor('readiness 200 after db:deploy', async () => {
        const r = await http(`${api.base}/api/health`);
        return r.status === 200 ? r : undefined;
      });
      expect(after.body).toMatchObject({ status: 'ok', db: 'up', schema: { state: 'current', pending: [] } });

      const unknown = await login(api.base, 'nobody@example.test', 'Wrong-password-123');
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS' });

      const health = await waitFor(
        'the HEALTHCHECK to report healthy',
        async () => {
          const status = await inspect(api.container, '{{.State.Health.Status}}');
          return status === 'healthy' ? status : undefined;
        },
        60_000,
      );
      expect(health).toBe('healthy');

      const stop = await docker(['stop', '-t', '30', api.container]);
      expectExit(stop, 0);
      expect(await inspect(api.container, '{{.State.ExitCode}}')).toBe('0');
      report.stopSeconds = stop.ms / 1000;
    });
  });
});

describe('docker compose', () => {
  const project = name('compose');
  const composeEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    COMPOSE_PROJECT_NAME: project,
    CHEFCLOUD_IMAGE_TAG: TAG,
    JWT_SECRET: jwtSecret,
    ...extra,
  });
  const compose = (args: string[], env: NodeJS.ProcessEnv = composeEnv()) =>
    run('docker', ['compose', '-p', project, ...args], { env });

  afterAll(async () => {
    await compose(['--profile', 'demo', 'down', '-v', '--remove-orphans']);
  });

  it('refuses to start without JWT_SECRET, saying so', async () => {
    const env = composeEnv();
    delete env.JWT_SECRET;
    const result = await run('docker', ['compose', '-p', project, 'config', '--quiet'], {
      env: { ...env, JWT_SECRET: undefined },
    });
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('JWT_SECRET is required');
  });

  it('`--profile demo up --build`: migrate completes before api starts, readiness 200, the demo login works, TRUST_PROXY is off, only the API is published (on loopback); `down -v` removes everything', async () => {
    await step('docker compose', async () => {
      const port = await freePort();
      const up = await compose(['--profile', 'demo', 'up', '-d', '--build'], composeEnv({ API_PORT: String(port) }));
      expectExit(up, 0);
      const base = `http://127.0.0.1:${port}`;
      const ready = await waitFor(
        'compose api readiness 200',
        async () => {
          const r = await http(`${base}/api/health`);
          return r.status === 200 ? r : undefined;
        },
        90_000,
      );
      expect(ready.body).toMatchObject({ status: 'ok', schema: { state: 'current' } });

      const containerOf = async (service: string) =>
        (await compose(['ps', '-a', '-q', service])).out.trim().split('\n')[0];
      const [migrate, seed, api, pg] = await Promise.all(['migrate', 'seed', 'api', 'postgres'].map(containerOf));
      expect(await inspect(migrate, '{{.State.ExitCode}}')).toBe('0');
      expect(await inspect(seed, '{{.State.ExitCode}}')).toBe('0');
      const migrateFinished = Date.parse(await inspect(migrate, '{{.State.FinishedAt}}'));
      const seedFinished = Date.parse(await inspect(seed, '{{.State.FinishedAt}}'));
      const apiStarted = Date.parse(await inspect(api, '{{.State.StartedAt}}'));
      expect(migrateFinished).toBeLessThanOrEqual(apiStarted);
      expect(seedFinished).toBeLessThanOrEqual(apiStarted);
      // The one-shot jobs carry no health check (the image's belongs to the API).
      expect(await inspect(migrate, '{{json .State.Health}}')).toBe('null');
      expect(await inspect(api, '{{.State.Health.Status}}')).toMatch(/starting|healthy/);
      // Published: the API on 127.0.0.1 only; PostgreSQL not at all.
      expect(await inspect(pg, '{{json .HostConfig.PortBindings}}')).toMatch(/^(\{\}|null)$/);
      expect(JSON.parse(await inspect(api, '{{json .HostConfig.PortBindings}}'))).toEqual({
        '3001/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }],
      });

      // The demo login (seeded by --profile demo). A client's own X-Forwarded-For is not its
      // address: TRUST_PROXY is off, since clients reach the API directly.
      const demo = await login(base, DEMO.email, DEMO.password, { 'X-Forwarded-For': 'not-an-ip' });
      expect(demo.status).toBe(200);
      const token = demo.body.access_token as string;
      const sessions = await http(`${base}/auth/sessions`, { headers: { authorization: `Bearer ${token}` } });
      expect(sessions.status).toBe(200);
      const ips = (sessions.body.sessions as { ip: string | null }[]).map((s) => s.ip);
      expect(ips.length).toBeGreaterThan(0);
      for (const ip of ips) expect(ip).not.toBe('not-an-ip');

      const down = await compose(['--profile', 'demo', 'down', '-v']);
      expectExit(down, 0);
      expect((await compose(['ps', '-a', '-q'])).out.trim()).toBe('');
      const volumes = await dockerOk(['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`]);
      expect(volumes).toBe('');
    });
  });
});

describe('the incident, in containers', () => {
  it(`a database missing ${INCIDENT_MIGRATION}: login is not a 500, readiness 503 names it, \`npm run db:deploy\` from the image heals it`, async () => {
    await step('incident replay', async () => {
      const net = await network('incident');
      const pg = await startPostgres('incident-pg', net, true);
      const hostUrl = `postgresql://chefcloud:chefcloud@127.0.0.1:${await publishedPort(pg, 5432)}/chefcloud`;
      // The production database of the incident: every migration before change control.
      await migrateDeployBefore(hostUrl, INCIDENT_MIGRATION);
      const url = `postgresql://chefcloud:chefcloud@${pg}:5432/chefcloud`;
      const seeded = await runImage(net, url, ['npm', 'run', 'db:seed'], ['NODE_ENV=development']);
      expectExit(seeded, 0);
      const api = await startApi('incident-api', net, url);

      const outage = await login(api.base, DEMO.email, DEMO.password);
      expect(outage.status).not.toBe(500);
      expect(outage.status).toBe(200);
      const behind = await http(`${api.base}/api/health`);
      expect(behind.status).toBe(503);
      expect(behind.body).toMatchObject({ schema: { state: 'behind' } });
      expect((behind.body.schema as { pending: string[] }).pending).toContain(INCIDENT_MIGRATION);

      const heal = await runImage(net, url, ['npm', 'run', 'db:deploy']);
      expectExit(heal, 0);
      expect(heal.out).toContain(INCIDENT_MIGRATION);
      const healed = await waitFor('readiness 200 after the heal', async () => {
        const r = await http(`${api.base}/api/health`);
        return r.status === 200 ? r : undefined;
      });
      expect(healed.body).toMatchObject({ schema: { state: 'current', pending: [] } });
      expect((await login(api.base, DEMO.email, DEMO.password)).status).toBe(200);
    });
  });
});

describe('the test harness with a Docker engine', () => {
  const dbDir = path.join(REPO_ROOT, 'packages', 'db');
  const harnessEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
    for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
    return env;
  };

  it('falls back to embedded PostgreSQL, with one line saying why, when the engine cannot provide the container', async () => {
    const result = await step('harness fallback', () =>
      run('npx', ['jest', '--config', 'jest.int.config.js', 'test/demo-seed.int-spec.ts'], {
        cwd: dbDir,
        env: harnessEnv({ TEST_DATABASE_PROVIDER: undefined, TEST_POSTGRES_IMAGE: `chefcloud-no-such-image:${id}` }),
      }),
    );
    expectExit(result, 0);
    const lines = result.out.split('\n').filter((l) => l.includes('[test-db] provider:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `[test-db] provider: embedded (a Docker engine answers but could not start chefcloud-no-such-image:${id}:`,
    );
  });

  /**
   * CI's npm test log: .ci/run starts this check in the background beside its npm test and
   * moves the log to this path only when npm test has ended, so wait for it (npm test takes
   * ten-odd minutes; an hour means it never came).
   */
  async function readSuiteLog(file: string): Promise<RunResult> {
    await waitFor(`the npm test log at ${file}`, () => Promise.resolve(fs.existsSync(file) || undefined), 3_600_000);
    const out = fs.readFileSync(file, 'utf8');
    return { code: 0, out, ms: turboSeconds(out) * 1000 };
  }

  // The db and api suites (every real-database test of the schema, migrations and API) through
  // turbo, as `npm test` runs them. The deploy package's suites (whole releases built and
  // rehearsed) already run in `npm test` and would double this step's time; they stay there.
  // CI (.ci/run) runs its `npm test` itself on the engine with TEST_DATABASE_PROVIDER=testcontainers
  // and hands its log over in CONTAINER_CHECK_SUITE_LOG: the same proof without running the
  // suites twice (about six minutes). Either way the run must say it used testcontainers, never
  // embedded PostgreSQL, and pass every test.
  const suiteLog = process.env.CONTAINER_CHECK_SUITE_LOG;
  it(`the db and api integration suites pass on the testcontainers path (${suiteLog ? `read from ${suiteLog}` : 'run here through turbo, as npm test does'})`, async () => {
    const result: RunResult = suiteLog
      ? await readSuiteLog(suiteLog)
      : await step('db and api tests on testcontainers', () =>
          run('npx', ['turbo', 'run', 'test', '--concurrency=1', '--filter=@chefcloud/db', '--filter=@chefcloud/api'], {
            env: harnessEnv({ TEST_DATABASE_PROVIDER: 'testcontainers' }),
            timeoutMs: 900_000,
          }),
        );
    let passed = 0;
    let failed = 0;
    for (const m of result.out.matchAll(/Tests:\s+(?:(\d+) failed, )?(?:\d+ skipped, )?(\d+) passed/g)) {
      failed += Number(m[1] ?? 0);
      passed += Number(m[2]);
    }
    report.testcontainers = { passed, failed, seconds: result.ms / 1000, ...(suiteLog ? { source: 'npm test' } : {}) };
    if (result.code !== 0) process.stdout.write(result.out.slice(-8000));
    expectExit(result, 0);
    expect(result.out).toContain(
      '@chefcloud/db:test: [test-db] provider: testcontainers (forced by TEST_DATABASE_PROVIDER)',
    );
    expect(result.out).toContain(
      '@chefcloud/api:test: [test-db] provider: testcontainers (forced by TEST_DATABASE_PROVIDER)',
    );
    expect(result.out).not.toContain('[test-db] provider: embedded');
    expect(failed).toBe(0);
    expect(passed).toBeGreaterThan(0);
  }, 3_600_000);
});
