/**
 * Small helpers for the container check: run docker / docker compose, wait for conditions with
 * a bound, talk HTTP to a published port on loopback.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../../src/repo';

export interface RunResult {
  code: number;
  out: string;
  ms: number;
}

/** Run a command from the repository root; never throws on a non-zero exit (the caller asserts). */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      out += `\n[check] ${command} ${args.join(' ')}: killed after ${options.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out, ms: Date.now() - started });
    });
  });
}

export const docker = (args: string[], options: Parameters<typeof run>[2] = {}) => run('docker', args, options);

/** `docker ...` that must succeed: returns its trimmed output, throws with the output otherwise. */
export async function dockerOk(args: string[], options: Parameters<typeof run>[2] = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.code}:\n${result.out}`);
  return result.out.trim();
}

/** Poll `probe` until it returns a value other than undefined, at most `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One HTTP request with a bound; the body parsed as JSON when it is JSON. */
export async function http(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}

/** The host port docker published for `containerPort` of `container` (loopback only). */
export async function publishedPort(container: string, containerPort: number): Promise<number> {
  const out = await dockerOk(['port', container, `${containerPort}/tcp`]);
  const first = out.split('\n')[0];
  const m = /^(127\.0\.0\.1|\[::1\]):(\d+)$/.exec(first);
  if (!m) throw new Error(`${container}:${containerPort} is published on ${first}, not on loopback`);
  return Number(m[2]);
}

/** `docker inspect -f <format>` of one object. */
export const inspect = (object: string, format: string) => dockerOk(['inspect', '-f', format, object]);
