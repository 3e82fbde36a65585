#!/usr/bin/env node
/**
 * npm run deploy:local [-- options]: rehearse Render's deploy of render.yaml on this machine.
 *
 *   --skip-build          do not run buildCommand (use what is built)
 *   --skip-predeploy      simulate a forgotten pre-deploy step (must fail the health gate)
 *   --keep-running        after a passing health check, serve until Ctrl-C (prints the database URL;
 *                         Ctrl-C stops everything, removes the temporary folder and exits 0)
 *   --free-plan           rehearse the free-plan variant: no pre-deploy, the start command migrates
 *   --database-url=URL    use this database instead of a throwaway embedded PostgreSQL (it is migrated for real)
 *   --health-timeout=SEC  how long the health gate waits (default 60)
 *   --service=NAME        the web service to rehearse (default: the only one)
 *   --verbose             stream the commands' output
 *   --fresh-checkout      rehearse a fresh checkout of HEAD (a git worktree in a temp folder, removed
 *                         afterwards), as Render clones the commit, instead of this working tree: its
 *                         node_modules and builds are left alone (CI runs it beside lint); uncommitted
 *                         changes are not in it
 *
 * Exit 0 when every phase passed; 1 naming the failed phase otherwise; 2 on bad usage.
 */
import { deployLocal } from '../deploy-local';
import { temporaryWorktree } from '../release/release';
import { REPO_ROOT } from '../repo';

function parse(argv: string[]) {
  const options: Parameters<typeof deployLocal>[0] = { root: REPO_ROOT };
  let verbose = false;
  let fresh = false;
  for (const arg of argv) {
    const [flag, value] = arg.split(/=(.*)/s, 2);
    switch (flag) {
      case '--skip-build':
        options.skipBuild = true;
        break;
      case '--skip-predeploy':
        options.skipPreDeploy = true;
        break;
      case '--keep-running':
        options.keepRunning = true;
        break;
      case '--free-plan':
        options.freePlan = true;
        break;
      case '--database-url':
        options.databaseUrl = value;
        break;
      case '--health-timeout':
        options.healthTimeoutMs = Number(value) * 1000;
        if (!Number.isFinite(options.healthTimeoutMs) || options.healthTimeoutMs <= 0)
          throw new Error('--health-timeout needs seconds, e.g. --health-timeout=30');
        break;
      case '--service':
        options.serviceName = value;
        break;
      case '--verbose':
        verbose = true;
        break;
      case '--fresh-checkout':
        fresh = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (verbose) options.serviceOutput = (chunk) => process.stdout.write(chunk.replace(/^/gm, '    | '));
  return { options, fresh };
}

let parsed;
try {
  parsed = parse(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`deploy:local: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const { options, fresh } = parsed;
let checkout: ReturnType<typeof temporaryWorktree> | undefined;
async function main(): Promise<number> {
  if (fresh) {
    try {
      checkout = temporaryWorktree(REPO_ROOT, 'HEAD', 'chefcloud-deploy-local-checkout-');
    } catch (error) {
      throw new Error(`--fresh-checkout: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.on('exit', () => checkout?.remove());
    options.root = checkout.dir;
    process.stdout.write(`[deploy:local] a fresh checkout of HEAD in ${checkout.dir} (removed at the end)\n`);
  }
  const result = await deployLocal(options);
  if (!result.ok) process.stdout.write(`[deploy:local] DEPLOY FAILED in phase: ${result.failedPhase ?? 'shutdown'}\n`);
  return result.ok ? 0 : 1;
}
main().then(
  (code) => {
    checkout?.remove();
    checkout = undefined;
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `[deploy:local] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
