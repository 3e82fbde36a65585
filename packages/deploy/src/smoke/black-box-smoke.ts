/**
 * The release's own black-box smoke: what its clients do, over HTTP only — a password login,
 * `GET /auth/me`, the maintenance banner, a feature-flag write, a maintenance window created
 * and ended, a logout. `npm run deploy:compat` runs the *previous* release's copy of this file
 * (when it has one) against that release serving on a database migrated by HEAD. No imports
 * beyond Node, so any checkout compiles it on its own with `tsc` (no tsx: the lockfile has none).
 */

export interface SmokeStep {
  name: string;
  method: string;
  path: string;
  expect: number;
  status: number;
  ms: number;
  ok: boolean;
  body?: string;
  error?: string;
}

export const SMOKE_ACCOUNT = { email: 'owner@demo-bistro.test', password: 'ChefCloud-demo-2025' };

export async function runSmoke(
  baseUrl: string,
  onStep: (step: SmokeStep) => void = () => undefined,
): Promise<SmokeStep[]> {
  const steps: SmokeStep[] = [];
  let token = '';
  const call = async (name: string, method: string, path: string, expect: number, body?: unknown) => {
    const started = performance.now();
    const step: SmokeStep = { name, method, path, expect, status: 0, ms: 0, ok: false };
    let text = '';
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
      step.status = res.status;
      text = await res.text();
    } catch (error) {
      step.error = error instanceof Error ? error.message : String(error);
    }
    step.ms = Math.round(performance.now() - started);
    step.ok = step.status === expect;
    if (!step.ok) step.body = text.slice(0, 500);
    steps.push(step);
    onStep(step);
    return step.ok ? (text ? (JSON.parse(text) as Record<string, unknown>) : {}) : undefined;
  };

  const login = await call('password login', 'POST', '/auth/login', 200, SMOKE_ACCOUNT);
  if (!login) return steps;
  token = String(login.access_token);
  if (!(await call('current user', 'GET', '/auth/me', 200))) return steps;
  if (!(await call('maintenance banner', 'GET', '/ops/maintenance/active', 200))) return steps;
  const key = `smoke-${Date.now().toString(36)}`;
  if (!(await call('flag create', 'POST', '/ops/flags', 201, { key, description: 'black-box smoke', active: false })))
    return steps;
  if (!(await call('flag write', 'PATCH', `/ops/flags/${key}/toggle`, 200, { reason: 'black-box smoke' })))
    return steps;
  const now = Date.now();
  const window = await call('maintenance create', 'POST', '/ops/maintenance', 201, {
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 10 * 60_000).toISOString(),
    message: 'black-box smoke',
    blockWrites: false,
  });
  if (!window) return steps;
  if (!(await call('maintenance end', 'POST', `/ops/maintenance/${String(window.id)}/end`, 200))) return steps;
  await call('logout', 'POST', '/auth/logout', 204);
  return steps;
}

export function describeStep(step: SmokeStep): string {
  const answer = step.error ? `connection error: ${step.error}` : `${step.status}${step.body ? ` ${step.body}` : ''}`;
  return `${step.ok ? 'ok  ' : 'FAIL'} ${step.name}: ${step.method} ${step.path} → ${answer} (${step.ms} ms${step.ok ? '' : `, expected ${step.expect}`})`;
}
