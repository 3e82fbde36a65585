import { spawn } from 'node:child_process';
import path from 'node:path';
import { DB_PACKAGE_DIR } from '../paths';

/** The monorepo root, where operators type `npm run ...`. */
export const REPO_ROOT = path.resolve(DB_PACKAGE_DIR, '..', '..');

/**
 * `npm run --silent <args>` from the repository root, as an operator or CI runs it; resolves
 * with the exit code and the combined output.
 */
export function npmRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}
