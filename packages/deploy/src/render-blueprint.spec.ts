import fs from 'node:fs';
import path from 'node:path';
import { leafCommands, resolveNpmCommand } from './npm-scripts';
import { envVar, loadBlueprint, webService } from './render-blueprint';
import { RENDER_YAML, REPO_ROOT } from './repo';

const blueprint = loadBlueprint(RENDER_YAML);
const api = webService(blueprint, 'chefcloud-api');
const leaves = (command: string | undefined) => leafCommands(resolveNpmCommand(command ?? '', REPO_ROOT));
const rel = (dir: string) => path.relative(REPO_ROOT, dir) || '.';

describe('render.yaml: the web service', () => {
  it('is a public Node web service on a plan that has pre-deploy commands', () => {
    expect(api).toMatchObject({ type: 'web', name: 'chefcloud-api', runtime: 'node' });
    expect(api.plan).toBeDefined();
    expect(api.plan).not.toBe('free');
  });

  it('builds from a clean install with dev dependencies, generates the Prisma client, builds the API with turbo', () => {
    const parts = (api.buildCommand ?? '').split('&&').map((p) => p.trim());
    expect(parts[0]).toMatch(/^npm ci\b/);
    expect(parts[0]).toContain('--include=dev');
    const generate = leaves(api.buildCommand).find((s) => /prisma\.mjs generate$/.test(s.command));
    expect(generate && rel(generate.cwd)).toBe('packages/db');
    expect(parts.indexOf('npm run db:generate')).toBeLessThan(parts.findIndex((p) => p.includes('turbo run build')));
    expect(parts[parts.length - 1]).toMatch(/turbo run build --filter=@chefcloud\/api$/);
  });

  it('runs `prisma migrate deploy` for the db package as the pre-deploy command (through the npm scripts)', () => {
    expect(api.preDeployCommand).toBe('npm run db:deploy');
    const steps = resolveNpmCommand(api.preDeployCommand!, REPO_ROOT);
    expect(steps.map((s) => s.script)).toEqual([undefined, 'chefcloud-core#db:deploy', '@chefcloud/db#db:deploy']);
    const leaf = leafCommands(steps);
    expect(leaf).toHaveLength(1);
    expect(leaf[0].command).toBe('node scripts/prisma.mjs migrate deploy');
    expect(rel(leaf[0].cwd)).toBe('packages/db');
    // scripts/prisma.mjs hands its arguments to the Prisma CLI, which reads prisma.config.ts → prisma/schema.prisma.
    const wrapper = fs.readFileSync(path.join(leaf[0].cwd, 'scripts/prisma.mjs'), 'utf8');
    expect(wrapper).toContain("require.resolve('prisma/build/index.js')");
    expect(wrapper).toMatch(/spawn\(process\.execPath, \[cli, \.\.\.args\]/);
    const config = fs.readFileSync(path.join(leaf[0].cwd, 'prisma.config.ts'), 'utf8');
    expect(config).toMatch(/path\.join\(__dirname, 'prisma', 'schema\.prisma'\)/);
  });

  it('starts the built API only: no migration anywhere in the start command', () => {
    const chain = resolveNpmCommand(api.startCommand ?? '', REPO_ROOT);
    expect(chain.map((s) => s.command).join(' ')).not.toMatch(/migrate|db:deploy|prisma|db push/);
    expect(api.startCommand).toBe('node services/api/dist/main.js');
    const apiPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'services/api/package.json'), 'utf8')) as {
      main: string;
    };
    expect(path.join('services/api', apiPackage.main)).toBe('services/api/dist/main.js');
  });

  it('gates traffic on readiness, with a shutdown delay above the drain timeout', () => {
    expect(api.healthCheckPath).toBe('/api/health');
    expect(Number(envVar(api, 'SHUTDOWN_TIMEOUT_MS')?.value)).toBeLessThan((api.maxShutdownDelaySeconds ?? 30) * 1000);
  });

  it('pins NODE_VERSION to an exact Node 22 release, like .nvmrc', () => {
    const version = String(envVar(api, 'NODE_VERSION')?.value);
    expect(version).toMatch(/^22\.\d+\.\d+$/);
    expect(fs.readFileSync(path.join(REPO_ROOT, '.nvmrc'), 'utf8').trim()).toBe(version.split('.')[0]);
  });

  it('declares the environment: production, database from the blueprint, generated secret, CORS from the dashboard', () => {
    expect(envVar(api, 'NODE_ENV')).toEqual({ key: 'NODE_ENV', value: 'production' });
    expect(envVar(api, 'DATABASE_URL')).toEqual({
      key: 'DATABASE_URL',
      fromDatabase: { name: 'chefcloud-db', property: 'connectionString' },
    });
    expect(envVar(api, 'JWT_SECRET')).toEqual({ key: 'JWT_SECRET', generateValue: true });
    expect(envVar(api, 'CORS_ORIGINS')).toEqual({ key: 'CORS_ORIGINS', sync: false });
  });

  it('sets only variables the API validates at boot (so a typo cannot go unnoticed)', () => {
    const schema = fs.readFileSync(path.join(REPO_ROOT, 'services/api/src/config/env.schema.ts'), 'utf8');
    const known = new Set([...schema.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]));
    const keys = (api.envVars ?? []).map((v) => v.key).filter((k) => k !== 'NODE_VERSION');
    expect(keys.filter((k) => !known.has(k))).toEqual([]);
  });
});

describe('render.yaml: the database', () => {
  it('is PostgreSQL 17 (a quoted string), referenced by the service', () => {
    expect(blueprint.databases).toHaveLength(1);
    const [db] = blueprint.databases;
    expect(db.postgresMajorVersion).toBe('17');
    expect(envVar(api, 'DATABASE_URL')?.fromDatabase?.name).toBe(db.name);
    expect(fs.readFileSync(RENDER_YAML, 'utf8')).toMatch(/postgresMajorVersion: (["'])17\1/);
  });
});

describe('resolveNpmCommand', () => {
  it('fails loudly on a script that does not exist', () => {
    expect(() => resolveNpmCommand('npm run no-such-script', REPO_ROOT)).toThrow(
      /npm script "no-such-script" is not defined/,
    );
  });
});
