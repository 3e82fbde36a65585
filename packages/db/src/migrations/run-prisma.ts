import { spawn } from 'node:child_process';
import { PRISMA_SCRIPT, DB_PACKAGE_DIR } from '../paths';

export interface PrismaRunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the Prisma CLI of @chefcloud/db (through scripts/prisma.mjs, so with the same engine
 * choice as `npm run db:*`) against `databaseUrl`, capturing its output.
 */
export function runPrisma(
  args: string[],
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<PrismaRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_SCRIPT, ...args], {
      cwd: DB_PACKAGE_DIR,
      env: { ...process.env, ...extraEnv, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `prisma migrate deploy` against `databaseUrl`; throws with the CLI's output when it fails. */
export async function migrateDeploy(databaseUrl: string): Promise<PrismaRunResult> {
  const result = await runPrisma(['migrate', 'deploy'], databaseUrl);
  if (result.code !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}
