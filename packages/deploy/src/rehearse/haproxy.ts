/**
 * HAProxy (Debian's `haproxy` package) playing Render's router for a rehearsal: one frontend on
 * 127.0.0.1, one backend with the old and the new instance. Like Render, it health-checks
 * `healthCheckPath` (2xx/3xx within 5 s passes) and sends traffic only to healthy instances; the
 * new instance starts in maintenance and is put in rotation by the rehearsal once it is started,
 * the old one is taken out (drain, then maintenance) before it gets SIGTERM. A connection that
 * fails is retried on the other server (`retries` + `option redispatch`), as a router does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const HEALTH_CHECK_TIMEOUT_MS = 5_000;

export interface HaproxyOptions {
  dir: string;
  proxyPort: number;
  healthCheckPath: string;
  servers: { name: string; port: number; enabled: boolean }[];
  /** Interval between health checks (ms). */
  checkIntervalMs?: number;
}

export interface ServerState {
  name: string;
  /** UP, DOWN, MAINT, DRAIN, "UP 1/2" (going down), "DOWN 1/2" (going up)… as HAProxy reports it. */
  status: string;
  /** Sessions in progress on the server. */
  current: number;
  total: number;
}

/** The haproxy binary, or a clear error saying how to install it. */
export function haproxyBinary(): string {
  for (const candidate of ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(
    'HAProxy is not installed: the rehearsal needs it to play Render’s router. Install it with ' +
      '`sudo apt-get install -y haproxy` (Debian/Ubuntu; CI does this in .ci/run).',
  );
}

export function haproxyConfig(options: HaproxyOptions): string {
  const inter = options.checkIntervalMs ?? 1_000;
  return [
    'global',
    `  stats socket ${path.join(options.dir, 'admin.sock')} mode 600 level admin`,
    '  maxconn 512',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    `  timeout check ${HEALTH_CHECK_TIMEOUT_MS / 1000}s`,
    '  option forwardfor',
    '  retries 3',
    '  option redispatch',
    `  default-server inter ${inter}ms fastinter ${inter}ms downinter ${inter}ms rise 2 fall 2`,
    'frontend router',
    `  bind 127.0.0.1:${options.proxyPort}`,
    '  default_backend service',
    'backend service',
    '  balance roundrobin',
    `  option httpchk GET ${options.healthCheckPath}`,
    // Render: any 2xx or 3xx answer within 5 s passes.
    '  http-check expect rstatus ^[23]',
    ...options.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check${s.enabled ? '' : ' disabled'}`),
    '',
  ].join('\n');
}

export class Haproxy {
  private process?: ChildProcess;
  private output = '';

  constructor(private readonly options: HaproxyOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.proxyPort}`;
  }

  async start(): Promise<void> {
    const binary = haproxyBinary();
    const file = path.join(this.options.dir, 'haproxy.cfg');
    fs.writeFileSync(file, haproxyConfig(this.options));
    const check = spawnSync(binary, ['-c', '-q', '-f', file], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy rejected its configuration: ${check.stderr || check.stdout}`);
    this.process = spawn(binary, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    this.process.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.process.exitCode !== null)
        throw new Error(`haproxy exited with ${this.process.exitCode}: ${this.output}`);
      try {
        await this.command('show info');
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`haproxy did not open its admin socket within 10 s: ${this.output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** One command on HAProxy's runtime API (the admin socket). */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(path.join(this.options.dir, 'admin.sock'));
      let answer = '';
      socket.setTimeout(5_000, () => socket.destroy(new Error(`haproxy: no answer to "${line}"`)));
      socket.on('connect', () => socket.write(`${line}\n`));
      socket.on('data', (c: Buffer) => (answer += c.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
    });
  }

  /**
   * Put a server in rotation *once its health check passes*. Leaving maintenance, HAProxy would
   * count a server as up ("UP 1/2", routed to) until its first check fails; forcing its health
   * down first makes it wait for `rise` passing checks, as Render waits for a healthy instance.
   */
  async addWhenHealthy(server: string): Promise<void> {
    const answer = await this.command(`set server service/${server} health down`);
    if (answer.trim()) throw new Error(`haproxy: set server ${server} health down: ${answer.trim()}`);
    await this.setState(server, 'ready');
  }

  async setState(server: string, state: 'ready' | 'drain' | 'maint'): Promise<void> {
    const answer = await this.command(`set server service/${server} state ${state}`);
    if (answer.trim()) throw new Error(`haproxy: set server ${server} state ${state}: ${answer.trim()}`);
  }

  async servers(): Promise<ServerState[]> {
    const csv = await this.command('show stat');
    const [header, ...rows] = csv.split('\n').filter(Boolean);
    const columns = header.replace(/^#\s*/, '').split(',');
    const at = (name: string) => columns.indexOf(name);
    return rows
      .map((row) => row.split(','))
      .filter((cells) => cells[at('pxname')] === 'service' && !['FRONTEND', 'BACKEND'].includes(cells[at('svname')]))
      .map((cells) => ({
        name: cells[at('svname')],
        status: cells[at('status')],
        current: Number(cells[at('scur')]),
        total: Number(cells[at('stot')]),
      }));
  }

  async server(name: string): Promise<ServerState> {
    const found = (await this.servers()).find((s) => s.name === name);
    if (!found) throw new Error(`haproxy has no server ${name}`);
    return found;
  }

  /** Poll until `predicate` holds for the server, or `timeoutMs` passes (false). */
  async waitFor(name: string, predicate: (s: ServerState) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (predicate(await this.server(name))) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    const live = this.process;
    if (!live || live.exitCode !== null) return;
    const exited = new Promise((resolve) => live.once('exit', resolve));
    live.kill('SIGTERM');
    const timer = setTimeout(() => live.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
