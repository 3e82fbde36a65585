import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listShippedMigrations } from '@chefcloud/db';
import { createTestDatabase, freePort, migrateDeployBefore, type TestDatabase } from '@chefcloud/db/testing';
import { startApiProcess, type ApiProcess } from './support/api-process';

const TOKEN = 'prometheus-scrape-token-0123456789';
const ALERT_RULES = path.resolve(__dirname, '../../../packages/deploy/prometheus/alerts.yml');
/** Debian's prometheus package (what .ci/run installs), or PROMETHEUS_BIN. */
const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';

interface PromResponse<T> {
  status: string;
  data: T;
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const result = await probe().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A real Prometheus server (not a parser of our own) scrapes the production-mode API with its
 * bearer token, on a database one migration behind the build, and the pending-migrations gauge
 * is read back through Prometheus's HTTP API; the alert rules load and the schema-behind alert
 * goes pending.
 */
describe('a real Prometheus scraping the API (database one migration behind)', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';
  let dir: string;
  let promUrl: string;

  beforeAll(async () => {
    const version = spawnSync(PROMETHEUS_BIN, ['--version'], { encoding: 'utf8' });
    if (version.error || version.status !== 0)
      throw new Error(
        `${PROMETHEUS_BIN} not found: install Debian's prometheus package (apt-get install prometheus; .ci/run does) or set PROMETHEUS_BIN`,
      );
    const shipped = listShippedMigrations();
    db = await createTestDatabase({ empty: true, prefix: 'prometheus' });
    await migrateDeployBefore(db.url, shipped[shipped.length - 1]);
    api = await startApiProcess({ DATABASE_URL: db.url, METRICS_TOKEN: TOKEN });

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-prometheus-'));
    fs.writeFileSync(path.join(dir, 'token'), TOKEN, { mode: 0o600 });
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(ALERT_RULES)}]`,
        'scrape_configs:',
        '  - job_name: chefcloud-api',
        '    metrics_path: /metrics',
        `    authorization: { type: Bearer, credentials_file: ${JSON.stringify(path.join(dir, 'token'))} }`,
        `    static_configs: [{ targets: ["127.0.0.1:${api.port}"] }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (d: Buffer) => (prometheusLog += d.toString()));
    prometheus.stderr?.on('data', (d: Buffer) => (prometheusLog += d.toString()));
    await until('Prometheus to be ready', 15_000, async () =>
      (await fetch(`${promUrl}/-/ready`)).ok ? true : undefined,
    );
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await api?.stop();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const query = async (promql: string) => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as PromResponse<{
      result: { metric: Record<string, string>; value: [number, string] }[];
    }>;
    return body.data.result;
  };

  it('scrapes with the bearer token and reads chefcloud_schema_pending_migrations = 1 back', async () => {
    // Without the token the API refuses (production): what Prometheus gets is only thanks to it.
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    const pending = await until('the pending-migrations gauge in Prometheus', 20_000, async () => {
      const result = await query('chefcloud_schema_pending_migrations{job="chefcloud-api"}');
      return result.length ? result : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nPrometheus log:\n${prometheusLog}`);
    });
    expect(pending).toHaveLength(1);
    expect(pending[0].metric).toMatchObject({ job: 'chefcloud-api', instance: `127.0.0.1:${api.port}` });
    expect(pending[0].value[1]).toBe('1');
    const up = await query('up{job="chefcloud-api"}');
    expect(up[0].value[1]).toBe('1');
    const behind = await query('chefcloud_schema_state{state="behind"}');
    expect(behind[0].value[1]).toBe('1');
  });

  it('loads the alert rules, and the schema-behind alert goes pending (it fires after 2 minutes)', async () => {
    const alert = await until('ChefCloudSchemaBehind to be pending', 15_000, async () => {
      const res = await fetch(`${promUrl}/api/v1/alerts`);
      const body = (await res.json()) as PromResponse<{ alerts: { labels: Record<string, string>; state: string }[] }>;
      return body.data.alerts.find((a) => a.labels.alertname === 'ChefCloudSchemaBehind');
    });
    expect(alert).toMatchObject({ state: 'pending', labels: { severity: 'critical', job: 'chefcloud-api' } });
  });
});
