import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  createPrismaClient,
  freePort,
  runPrisma,
  seedDemoData,
  startEmbeddedDatabase,
  DEMO_PASSWORD,
} from '@chefcloud/db';
import { load, settleAfter, type LoadOptions, type LoadResult } from './load';
import type { BenchReport, ScenarioFigures } from './report';
import { createCpuLimit, rssMiB, type CpuLimit } from './cpu-limit';
import { maxCheck, ratioCheck, type Check } from './targets';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const API_MAIN = path.join(REPO_ROOT, 'services/api/dist/main.js');

export interface BenchOptions {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  bcryptCost: number;
  bootRuns: number;
  smoke: boolean;
  log: (line: string) => void;
}

export interface ApiInstance {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function waitFor(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  expectStatus = 200,
): Promise<number> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status === expectStatus) return Number(process.hrtime.bigint() - started) / 1e9;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer ${expectStatus} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The built API as its own process, production mode, ready when /api/health is 200. */
export async function startApi(
  env: NodeJS.ProcessEnv,
  options: { cpuLimit?: CpuLimit } = {},
): Promise<ApiInstance & { bootSeconds: number }> {
  const port = await freePort();
  const command = options.cpuLimit ? options.cpuLimit.wrap([process.execPath, API_MAIN]) : [process.execPath, API_MAIN];
  const started = process.hrtime.bigint();
  const child = spawn(command[0], command.slice(1), {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    // Production logs JSON to stdout; the benchmark pays for producing it, not for reading it.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/api/health`, child, 30_000);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  }
  const bootSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    bootSeconds,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function bcryptBaseline(cost: number, concurrency: number, seconds: number): Promise<{ comparesPerSecond: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, 'bcrypt-worker.js'), String(cost), String(concurrency), String(seconds)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim()) as { comparesPerSecond: number })
        : reject(new Error(`bcrypt baseline exited with ${code}`)),
    );
  });
}

/** Rounds of the write-block comparison in a full run (2 in a smoke run). */
export const WRITE_BLOCK_ROUNDS = 6;

/** Median averaging the two middle values of an even count. */
export function middleOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function machineInfo(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Run every scenario and return the report (the caller writes it). */
export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date();
  const scenarios: ScenarioFigures[] = [];
  const timings: Record<string, number> = {};
  const checks: Check[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const instances: ApiInstance[] = [];
  const notes: string[] = [];
  let stopSampler = () => undefined as void;
  const db = await startEmbeddedDatabase({
    dataDir: path.join(dataDir, 'pg'),
    port: await freePort(),
    persistent: false,
    fast: true,
    exitOnSignals: false,
  });

  const measure = async (
    name: string,
    options: Omit<LoadOptions, 'connections' | 'durationSeconds'> & { connections?: number },
  ): Promise<LoadResult> => {
    if (o.warmupSeconds > 0)
      await settleAfter(
        await load({ ...options, connections: options.connections ?? o.connections, durationSeconds: o.warmupSeconds }),
      );
    const result = await load({
      ...options,
      connections: options.connections ?? o.connections,
      durationSeconds: o.durationSeconds,
    });
    scenarios.push({ name, ...result });
    o.log(
      `[bench] ${name}: ${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms${result.non2xx ? `, ${result.non2xx} non-2xx` : ''}${result.errors ? `, ${result.errors} errors` : ''}`,
    );
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(
        `${name}: ${result.non2xx} non-2xx answers and ${result.errors} errors — the scenario is broken, not slow`,
      );
    return result;
  };

  try {
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE chefcloud');
    await admin.end();
    const url = db.urlFor('chefcloud');

    // prisma migrate deploy: the full history on an empty database, then a no-op.
    for (const [label, key] of [
      ['full history on an empty database', 'migrate deploy: full history (s)'],
      ['no-op on an up-to-date database', 'migrate deploy: no-op (s)'],
    ] as const) {
      const started = process.hrtime.bigint();
      const result = await runPrisma(['migrate', 'deploy'], url);
      if (result.code !== 0) throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
      timings[key] = Number(process.hrtime.bigint() - started) / 1e9;
      o.log(`[bench] prisma migrate deploy, ${label}: ${timings[key].toFixed(2)} s`);
    }
    const prisma = createPrismaClient({ url });
    await seedDemoData(prisma, { bcryptCost: o.bcryptCost, nodeEnv: 'development' });
    await prisma.$disconnect();

    const env = {
      DATABASE_URL: url,
      JWT_SECRET: 'benchmark-secret-'.padEnd(48, 'b'),
      BCRYPT_COST: String(o.bcryptCost),
      LOGIN_THROTTLE_IP_LIMIT: '100000000',
      LOGIN_THROTTLE_IP_ATTEMPT_LIMIT: '100000000',
      LOGIN_THROTTLE_ACCOUNT_LIMIT: '100000000',
      // The login storm measures hashing throughput against raw bcrypt: every login waits for
      // its slot. (Shedding past a 2 s wait is the default, and has its own test: on a slow
      // machine it would turn this throughput scenario into a count of 503s.)
      LOGIN_HASH_QUEUE_WAIT_MS: '60000',
    };

    // Boot: process start to the first 200 on /api/health, against the running database.
    const boots: number[] = [];
    for (let i = 0; i < o.bootRuns; i++) {
      const api = await startApi(env);
      boots.push(api.bootSeconds);
      await api.stop();
    }
    timings['boot to first 200 on /api/health, median (s)'] = median(boots);
    timings['boot, slowest run (s)'] = Math.max(...boots);
    o.log(`[bench] boot: median ${median(boots).toFixed(2)} s over ${boots.length} run(s)`);
    checks.push(
      maxCheck(
        'boot to first 200 on /api/health (median)',
        median(boots),
        1.5,
        's',
        `process start → /api/health 200, median of ${boots.length}, database already running`,
      ),
    );

    // Boot at half a CPU, as on Render's starter instance (512 MB, 0.5 CPU): a cgroup CPU quota.
    const cpuLimit = createCpuLimit(0.5);
    if (cpuLimit) {
      try {
        const limitedBoots: number[] = [];
        for (let i = 0; i < o.bootRuns; i++) {
          const limited = await startApi(env, { cpuLimit });
          limitedBoots.push(limited.bootSeconds);
          await limited.stop();
        }
        timings['boot at half a CPU, median (s)'] = median(limitedBoots);
        o.log(`[bench] boot at half a CPU (${cpuLimit.how}): median ${median(limitedBoots).toFixed(2)} s`);
        checks.push(
          maxCheck(
            'boot to first 200 on /api/health at half a CPU (median)',
            median(limitedBoots),
            2,
            's',
            `${cpuLimit.how}; median of ${limitedBoots.length}`,
          ),
        );
      } finally {
        cpuLimit.remove();
      }
    } else {
      o.log('[bench] boot at half a CPU: NOT MEASURED (no writable cgroup cpu controller on this machine)');
      notes.push(
        'Boot at half a CPU was not measured: this machine offers no writable cgroup cpu controller (cgroup v2 cpu.max or v1 cpu.cfs_quota_us); run the benchmark as root or in a delegated cgroup.',
      );
    }

    const api = await startApi(env);
    instances.push(api);
    const apiPid = api.child.pid ?? 0;
    // Idle: booted, connected (one readiness check ran), nothing else yet.
    await new Promise((r) => setTimeout(r, 1_000));
    const idleRss = rssMiB(apiPid);
    timings['API RSS idle (MiB)'] = idleRss;
    let peakRss = idleRss;
    const rssSampler = setInterval(() => {
      const rss = rssMiB(apiPid);
      if (rss > peakRss) peakRss = rss;
    }, 100);
    rssSampler.unref();
    stopSampler = () => clearInterval(rssSampler);
    const unblocked = await startApi({ ...env, ENABLE_WRITE_BLOCK_MIDDLEWARE: 'false' });
    instances.push(unblocked);
    const noMetrics = await startApi({ ...env, METRICS_ENABLED: 'false' });
    instances.push(noMetrics);
    const login = async (base: string) => {
      const res = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@demo-bistro.test', password: DEMO_PASSWORD }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const token = await login(api.url);
    const auth = { authorization: `Bearer ${token}` };
    await fetch(`${api.url}/ops/flags`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'bench-flag', active: true }),
    });

    // 1. the floor, 2. an authenticated, cached read
    const floor = await measure('floor: GET /api/health/live', { url: `${api.url}/api/health/live` });
    const banner = await measure('GET /ops/maintenance/active (bearer token)', {
      url: `${api.url}/ops/maintenance/active`,
      headers: auth,
    });
    checks.push(
      ratioCheck(
        'GET /ops/maintenance/active vs the floor (req/s)',
        banner.requestsPerSecond,
        floor.requestsPerSecond,
        0.7,
        'authenticated read, session and maintenance lookups cached ÷ GET /api/health/live',
      ),
    );

    // 3. a write through the write block vs the same write with the block off (alternated)
    const write = (base: string) => ({
      url: `${base}/ops/flags/bench-flag`,
      method: 'PATCH' as const,
      headers: auth,
      body: { rolloutPct: 50 },
    });
    // Steadier than one long run each: WRITE_BLOCK_ROUNDS short rounds, the order of the two
    // instances alternating (on/off, off/on, ...), and the ratio taken per round (each round's
    // two runs are seconds apart, so they share the machine's load) then the median of the rounds.
    const half = { ...o, durationSeconds: Math.max(1, Math.round(o.durationSeconds / 2)) };
    const rounds: { on: LoadResult[]; off: LoadResult[] } = { on: [], off: [] };
    const writeRounds = o.smoke ? 2 : WRITE_BLOCK_ROUNDS;
    for (let round = 0; round < writeRounds; round++) {
      const pair = [
        ['on', api.url],
        ['off', unblocked.url],
      ] as const;
      for (const [key, base] of round % 2 === 0 ? pair : [...pair].reverse()) {
        if (o.warmupSeconds > 0)
          await settleAfter(
            await load({
              ...write(base),
              connections: o.connections,
              durationSeconds: Math.max(1, Math.round(o.warmupSeconds / 2)),
            }),
          );
        rounds[key].push(
          await load({ ...write(base), connections: o.connections, durationSeconds: half.durationSeconds }),
        );
      }
    }
    const combine = (results: LoadResult[], name: string): LoadResult => {
      const combined = {
        requestsPerSecond: results.reduce((s, r) => s + r.requestsPerSecond, 0) / results.length,
        p50Ms: median(results.map((r) => r.p50Ms)),
        p99Ms: Math.max(...results.map((r) => r.p99Ms)),
        requests: results.reduce((s, r) => s + r.requests, 0),
        non2xx: results.reduce((s, r) => s + r.non2xx, 0),
        errors: results.reduce((s, r) => s + r.errors, 0),
      };
      scenarios.push({ name, ...combined });
      o.log(`[bench] ${name}: ${combined.requestsPerSecond.toFixed(1)} req/s`);
      if (combined.non2xx || combined.errors)
        throw new Error(`${name}: ${combined.non2xx} non-2xx, ${combined.errors} errors`);
      return combined;
    };
    const withBlock = combine(rounds.on, 'PATCH /ops/flags/:key, write block on');
    const withoutBlock = combine(rounds.off, 'PATCH /ops/flags/:key, ENABLE_WRITE_BLOCK_MIDDLEWARE=false');
    const perRound = rounds.on.map((r, i) => r.requestsPerSecond / rounds.off[i].requestsPerSecond);
    o.log(`[bench] write block on ÷ off per round: ${perRound.map((r) => r.toFixed(2)).join(', ')}`);
    checks.push({
      ...ratioCheck(
        'write through the write block vs block off (req/s)',
        middleOf(perRound),
        1,
        0.9,
        `PATCH /ops/flags/:key on two instances of one database: median of ${writeRounds} per-round ratios (order alternating), rounds ${perRound.map((r) => r.toFixed(2)).join(', ')}; means ${withBlock.requestsPerSecond.toFixed(0)} ÷ ${withoutBlock.requestsPerSecond.toFixed(0)} req/s`,
      ),
    });

    // 3b. the banner read with metrics on (the default: an HTTP histogram and counter per request)
    //     vs METRICS_ENABLED=false, in rounds of alternating order like the write block's
    const bannerRead = (base: string) => ({ url: `${base}/ops/maintenance/active`, headers: auth });
    const metricRounds: { on: LoadResult[]; off: LoadResult[] } = { on: [], off: [] };
    for (let round = 0; round < writeRounds; round++) {
      const pair = [
        ['on', api.url],
        ['off', noMetrics.url],
      ] as const;
      for (const [key, base] of round % 2 === 0 ? pair : [...pair].reverse()) {
        if (o.warmupSeconds > 0)
          await settleAfter(
            await load({
              ...bannerRead(base),
              connections: o.connections,
              durationSeconds: Math.max(1, Math.round(o.warmupSeconds / 2)),
            }),
          );
        metricRounds[key].push(
          await load({ ...bannerRead(base), connections: o.connections, durationSeconds: half.durationSeconds }),
        );
      }
    }
    const withMetrics = combine(metricRounds.on, 'GET /ops/maintenance/active, metrics on');
    const withoutMetrics = combine(metricRounds.off, 'GET /ops/maintenance/active, METRICS_ENABLED=false');
    const metricsPerRound = metricRounds.on.map((r, i) => r.requestsPerSecond / metricRounds.off[i].requestsPerSecond);
    o.log(`[bench] metrics on ÷ off per round: ${metricsPerRound.map((r) => r.toFixed(2)).join(', ')}`);
    checks.push(
      ratioCheck(
        'banner read with metrics on vs metrics off (req/s)',
        middleOf(metricsPerRound),
        1,
        0.95,
        `GET /ops/maintenance/active on two instances of one database: median of ${writeRounds} per-round ratios (order alternating), rounds ${metricsPerRound.map((r) => r.toFixed(2)).join(', ')}; means ${withMetrics.requestsPerSecond.toFixed(0)} ÷ ${withoutMetrics.requestsPerSecond.toFixed(0)} req/s`,
      ),
    );

    // 4. login vs raw bcrypt at the same cost and concurrency, with liveness probed during the storm
    const bcryptRun = await bcryptBaseline(o.bcryptCost, o.connections, o.durationSeconds);
    scenarios.push({
      name: `raw bcrypt.compare, cost ${o.bcryptCost}, ${o.connections} in flight`,
      requestsPerSecond: bcryptRun.comparesPerSecond,
      p50Ms: NaN,
      p99Ms: NaN,
      requests: Math.round(bcryptRun.comparesPerSecond * o.durationSeconds),
      non2xx: 0,
      errors: 0,
    });
    o.log(`[bench] raw bcrypt.compare: ${bcryptRun.comparesPerSecond.toFixed(1)} /s`);
    const loginBody = { email: 'owner@demo-bistro.test', password: DEMO_PASSWORD };
    if (o.warmupSeconds > 0)
      await settleAfter(
        await load({
          url: `${api.url}/auth/login`,
          method: 'POST',
          body: loginBody,
          connections: o.connections,
          durationSeconds: o.warmupSeconds,
        }),
      );
    const [storm, live] = await Promise.all([
      load({
        url: `${api.url}/auth/login`,
        method: 'POST',
        body: loginBody,
        connections: o.connections,
        durationSeconds: o.durationSeconds,
      }),
      // A light, steady probe (50 req/s): it measures the event loop's latency, not its throughput.
      load({ url: `${api.url}/api/health/live`, connections: 1, durationSeconds: o.durationSeconds, overallRate: 50 }),
    ]);
    scenarios.push(
      { name: 'POST /auth/login', ...storm },
      { name: 'GET /api/health/live during the login storm (50 req/s probe)', ...live },
    );
    o.log(`[bench] login: ${storm.requestsPerSecond.toFixed(1)} req/s; liveness during the storm p99 ${live.p99Ms} ms`);
    if (storm.non2xx || storm.errors)
      throw new Error(`POST /auth/login: ${storm.non2xx} non-2xx, ${storm.errors} errors`);
    checks.push(
      ratioCheck(
        'POST /auth/login vs raw bcrypt.compare (per second)',
        storm.requestsPerSecond,
        bcryptRun.comparesPerSecond,
        0.85,
        `logins ÷ compares, cost ${o.bcryptCost}, ${o.connections} concurrent, each in its own process`,
      ),
    );
    checks.push(
      maxCheck(
        'GET /api/health/live p99 during the login storm',
        live.p99Ms,
        50,
        'ms',
        'hashing runs on the thread pool, not the event loop',
      ),
    );
    stopSampler();
    timings['API RSS under the standard load, peak (MiB)'] = peakRss;
    o.log(`[bench] API RSS: idle ${idleRss.toFixed(0)} MiB, peak under load ${peakRss.toFixed(0)} MiB`);
    checks.push(
      maxCheck(
        'API RSS under the standard load (peak)',
        peakRss,
        200,
        'MiB',
        `VmRSS of the API process sampled every 100 ms through every scenario above; idle after boot: ${idleRss.toFixed(0)} MiB`,
      ),
    );
  } finally {
    stopSampler();
    for (const instance of instances) await instance.stop().catch(() => undefined);
    await db.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  return {
    startedAt: startedAt.toISOString(),
    machine: machineInfo(),
    settings: {
      durationSeconds: o.durationSeconds,
      warmupSeconds: o.warmupSeconds,
      connections: o.connections,
      bcryptCost: o.bcryptCost,
      bootRuns: o.bootRuns,
      smoke: o.smoke,
    },
    scenarios,
    timings,
    checks,
    notes,
    totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
  };
}
