import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@chefcloud/db/testing';
import { validateProcessResponses } from './openapi-validation';

const MAIN = path.resolve(__dirname, '../../dist/main.js');

/** The built API (dist/main.js) as its own process, the way Render runs it. */
export interface ApiProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output(): string;
  /** Parsed JSON log lines written so far. */
  logLines(): Record<string, unknown>[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startApiProcess(env: NodeJS.ProcessEnv, startTimeoutMs = 30_000): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      JWT_SECRET: 'process-test-secret-'.padEnd(48, 'z'),
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // What fetch receives from it is validated against docs/openapi.json (openapi-setup.ts).
  validateProcessResponses(url);
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health/live`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL'); // leave nothing behind
      throw new Error(`the API did not start within ${startTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    port,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
