/**
 * Constant mixed traffic through the proxy for the whole rehearsal, as the back office and POS
 * send it: password logins, `GET /auth/me`, the maintenance banner (`GET /ops/maintenance/active`),
 * feature-flag writes, and a maintenance window created and ended. Bounded in concurrency, count
 * and time; every request is tagged with the deploy phase it started in.
 */

export const DEMO_OWNER = { email: 'owner@demo-bistro.test', password: 'ChefCloud-demo-2025' };

/** Logins per minute stay under the per-IP login limit (20/min): everything comes from the proxy. */
const LOGIN_INTERVAL_MS = 5_000;
const MAINTENANCE_INTERVAL_MS = 8_000;
/** A request counts as failed without an answer within this (a router waits longer; logins queue for bcrypt on a busy machine). */
const REQUEST_TIMEOUT_MS = 30_000;
export const REHEARSAL_FLAG = 'deploy-rehearsal';

export interface RequestRecord {
  phase: string;
  name: string;
  status: number;
  /** Connection error, timeout or unreadable answer (status 0). */
  error?: string;
  ms: number;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency?: number;
  maxRequests?: number;
  maxDurationMs?: number;
  /** Pause of each worker between two requests (ms). */
  pauseMs?: number;
}

interface Call {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  auth?: boolean;
}

export class MixedLoad {
  readonly records: RequestRecord[] = [];
  phase = 'old only';
  private token?: string;
  private running = false;
  private workers: Promise<void>[] = [];
  private lastLogin = 0;
  private lastMaintenance = 0;
  private openWindow?: string;
  private startedAt = 0;
  private turn = 0;

  constructor(private readonly options: LoadOptions) {}

  /** Log in and make sure the flag the load toggles exists (before traffic starts). */
  async prepare(): Promise<void> {
    const login = await this.request({ name: 'login', method: 'POST', path: '/auth/login', body: DEMO_OWNER }, false);
    if (login.status !== 200) throw new Error(`rehearsal setup: login answered ${login.status} ${login.body}`);
    const created = await this.request(
      {
        name: 'flag create',
        method: 'POST',
        path: '/ops/flags',
        body: { key: REHEARSAL_FLAG, description: 'toggled by npm run deploy:rehearse', active: false },
        auth: true,
      },
      false,
    );
    if (created.status !== 201 && created.status !== 409)
      throw new Error(`rehearsal setup: creating flag ${REHEARSAL_FLAG} answered ${created.status} ${created.body}`);
  }

  start(): void {
    this.running = true;
    this.startedAt = Date.now();
    for (let i = 0; i < (this.options.concurrency ?? 3); i++) this.workers.push(this.worker());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    // End a window this load opened, so nothing is left in force.
    if (this.openWindow)
      await this.request(
        { name: 'maintenance end', method: 'POST', path: `/ops/maintenance/${this.openWindow}/end`, auth: true },
        true,
      );
  }

  private exhausted(): boolean {
    return (
      this.records.length >= (this.options.maxRequests ?? 50_000) ||
      Date.now() - this.startedAt >= (this.options.maxDurationMs ?? 15 * 60_000)
    );
  }

  private next(): Call {
    const now = Date.now();
    if (now - this.lastLogin >= LOGIN_INTERVAL_MS) {
      this.lastLogin = now;
      return { name: 'login', method: 'POST', path: '/auth/login', body: DEMO_OWNER };
    }
    if (now - this.lastMaintenance >= MAINTENANCE_INTERVAL_MS) {
      this.lastMaintenance = now;
      if (this.openWindow) {
        const id = this.openWindow;
        this.openWindow = undefined;
        return { name: 'maintenance end', method: 'POST', path: `/ops/maintenance/${id}/end`, auth: true };
      }
      return {
        name: 'maintenance create',
        method: 'POST',
        path: '/ops/maintenance',
        auth: true,
        // A banner-only window: writes stay allowed, so the rest of the load is unaffected.
        body: {
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 10 * 60_000).toISOString(),
          message: 'deploy rehearsal',
          blockWrites: false,
        },
      };
    }
    const cycle: Call[] = [
      { name: 'me', method: 'GET', path: '/auth/me', auth: true },
      { name: 'banner', method: 'GET', path: '/ops/maintenance/active', auth: true },
      { name: 'me', method: 'GET', path: '/auth/me', auth: true },
      {
        name: 'flag write',
        method: 'PATCH',
        path: `/ops/flags/${REHEARSAL_FLAG}/toggle`,
        body: { reason: 'deploy rehearsal' },
        auth: true,
      },
      { name: 'banner', method: 'GET', path: '/ops/maintenance/active', auth: true },
    ];
    return cycle[this.turn++ % cycle.length];
  }

  private async worker(): Promise<void> {
    while (this.running && !this.exhausted()) {
      await this.request(this.next(), true);
      await new Promise((r) => setTimeout(r, this.options.pauseMs ?? 50));
    }
  }

  private async request(call: Call, record: boolean): Promise<RequestRecord> {
    const phase = this.phase;
    const started = performance.now();
    const result: RequestRecord = { phase, name: call.name, status: 0, ms: 0 };
    try {
      const res = await fetch(`${this.options.baseUrl}${call.path}`, {
        method: call.method,
        headers: {
          ...(call.body ? { 'content-type': 'application/json' } : {}),
          ...(call.auth && this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: call.body ? JSON.stringify(call.body) : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      result.status = res.status;
      if (res.status >= 300) result.body = text.slice(0, 300);
      if (res.status === 200 && call.name === 'login')
        this.token = (JSON.parse(text) as { access_token: string }).access_token;
      if (res.status === 201 && call.name === 'maintenance create')
        this.openWindow = (JSON.parse(text) as { id: string }).id;
    } catch (error) {
      result.error = error instanceof Error ? `${error.name}: ${error.message}${causeOf(error)}` : String(error);
    }
    result.ms = performance.now() - started;
    if (record) this.records.push(result);
    return result;
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message ?? ''})` : '';
}
