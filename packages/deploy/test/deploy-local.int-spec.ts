/**
 * `npm run deploy:local`, end to end, as an operator runs it: render.yaml's commands against a
 * throwaway embedded PostgreSQL, the built API, Render's health gate. (The build phase itself —
 * `npm ci` — reinstalls node_modules, so it runs in `.ci/run`, not inside the test run.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { npmRun, REPO_ROOT } from '@chefcloud/db/testing';

const deployLocal = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  npmRun(['deploy:local', '--', ...args], { TURBO_TELEMETRY_DISABLED: '1', ...env });

describe('npm run deploy:local', () => {
  it('runs pre-deploy, start and the health gate in Render’s order, timing each phase', async () => {
    // PLATFORM_ADMIN_ORG_SLUG left empty in the Dashboard (Render passes ""): unset, not a boot failure.
    const { code, out } = await deployLocal(['--skip-build'], { PLATFORM_ADMIN_ORG_SLUG: '' });
    const order = [
      '– build skipped',
      '✓ database',
      '✓ pre-deploy',
      '✓ start',
      '✓ health-check',
      '✔ deploy rehearsal passed',
      '✓ shutdown',
    ].map((marker) => out.indexOf(`[deploy:local] ${marker}`));
    expect({ order, out }).toEqual({ order: [...order].sort((a, b) => a - b), out });
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(out).toContain('$ npm run db:deploy');
    expect(out).toContain('$ node services/api/dist/main.js');
    expect(out).toMatch(/✓ pre-deploy \(\d+\.\d s\)/);
    expect(out).toMatch(/GET \/api\/health → 200 \{"status":"ok","db":"up","schema":\{"state":"current"/);
    expect(out).toContain('SIGTERM → drained and exited 0');
    expect(out).toMatch(/node v\d+\.\d+\.\d+ here; render\.yaml pins NODE_VERSION \d+\.\d+\.\d+ on Render/);
    expect(code).toBe(0);
  });

  it('--free-plan rehearses the free-plan variant: no pre-deploy, the start command migrates, then the health gate passes', async () => {
    const { code, out } = await deployLocal(['--skip-build', '--free-plan']);
    expect(out).toContain('(free-plan variant: no pre-deploy, the start command migrates)');
    expect(out).toContain('– pre-deploy skipped (--free-plan: the start command migrates)');
    expect(out).toContain('$ npm run db:deploy && exec node services/api/dist/main.js');
    expect(out).toMatch(/GET \/api\/health → 200 \{"status":"ok","db":"up","schema":\{"state":"current"/);
    expect(out).toContain('SIGTERM → drained and exited 0');
    expect(code).toBe(0);
  });

  it('with the pre-deploy step forgotten, fails the health gate (schema behind) instead of serving 500s', async () => {
    const { code, out } = await deployLocal(['--skip-build', '--skip-predeploy', '--health-timeout=4']);
    expect(out).toContain('– pre-deploy skipped (--skip-predeploy: simulating a forgotten pre-deploy step)');
    expect(out).toMatch(
      /✗ health-check .*GET \/api\/health never passed within 4 s; last answer 503 .*"state":"behind"/,
    );
    expect(out).toContain('Render would cancel this deploy and keep the previous version serving');
    expect(out).toMatch(
      /POST \/auth\/login on the new instance answers 503 \{"statusCode":503,"code":"SCHEMA_NOT_MIGRATED"/,
    );
    expect(out).toContain('DEPLOY FAILED in phase: health-check');
    expect(out).not.toMatch(/answers 500/);
    expect(code).toBe(1);
  });

  it('names the failed phase when the pre-deploy command fails (unreachable database)', async () => {
    const { code, out } = await deployLocal([
      '--skip-build',
      '--database-url=postgresql://postgres:postgres@127.0.0.1:1/nowhere',
    ]);
    expect(out).toContain(
      'WARNING: --database-url: the pre-deploy step runs `prisma migrate deploy` against that database for real',
    );
    expect(out).toMatch(/✗ pre-deploy .*preDeployCommand exited with 1/);
    expect(out).toContain('DEPLOY FAILED in phase: pre-deploy');
    expect(out).not.toContain('▶ start');
    expect(code).toBe(1);
  });

  it('--fresh-checkout rehearses a git worktree of HEAD, not this tree (nothing is built there with --skip-build), and removes it', async () => {
    // Its own worktrees (the rehearsal files beside it add and remove theirs meanwhile).
    const worktrees = () =>
      spawnSync('git', ['worktree', 'list'], { cwd: REPO_ROOT, encoding: 'utf8' })
        .stdout.split('\n')
        .filter((line) => line.includes('chefcloud-deploy-local-checkout-'));
    const before = worktrees();
    const { code, out } = await deployLocal(['--skip-build', '--fresh-checkout']);
    const dir = /a fresh checkout of HEAD in (\S+) \(removed at the end\)/.exec(out)?.[1];
    expect(dir).toBeDefined();
    expect(path.relative(REPO_ROOT, dir!)).toMatch(/^\.\./);
    // The checkout has no node_modules: the pre-deploy command cannot run there.
    expect(out).toMatch(/✗ pre-deploy .*preDeployCommand exited with/);
    expect(code).toBe(1);
    expect(fs.existsSync(path.dirname(dir!))).toBe(false);
    expect(worktrees()).toEqual(before);
  });

  it('refuses unknown options with exit 2', async () => {
    const { code, out } = await deployLocal(['--frobnicate']);
    expect(out).toContain('unknown option --frobnicate');
    expect(code).toBe(2);
  });
});
