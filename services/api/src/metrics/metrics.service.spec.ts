import { Logger } from '@nestjs/common';
import { MetricsService, OTHER_FLAG } from './metrics.service';
import { routeTemplate, statusClass, UNMATCHED_ROUTE } from './http-metrics.middleware';

const make = (over: Partial<{ enabled: boolean; flagKeys: string[] }> = {}) =>
  new MetricsService({ metrics: { enabled: over.enabled ?? true, token: null, flagKeys: over.flagKeys ?? [] } });

/** The value of one series in the exposition, e.g. value(text, 'chefcloud_x{a="b"}'). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('MetricsService', () => {
  it('exports process metrics and build_info, every name prefixed chefcloud_', async () => {
    const text = await make().render();
    expect(text).toMatch(/^chefcloud_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^chefcloud_nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^chefcloud_build_info\{version="\d+\.\d+\.\d+",commit="[\w]+"\} 1$/m);
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n) => !n.startsWith('chefcloud_'))).toEqual([]);
  });

  it('creates every labelled series an alert reads at zero, before anything happened', async () => {
    const text = await make().render();
    expect(value(text, 'chefcloud_login_attempts_total{method="badge",outcome="shed"}')).toBe(0);
    expect(value(text, 'chefcloud_maintenance_checks_total{outcome="fail_open"}')).toBe(0);
    expect(value(text, 'chefcloud_maintenance_fail_open_total')).toBe(0);
    expect(value(text, 'chefcloud_writes_blocked_total{method="POST"}')).toBe(0);
    expect(value(text, 'chefcloud_db_errors_total{class="timeout"}')).toBe(0);
    expect(value(text, 'chefcloud_login_throttle_hits_total{kind="account"}')).toBe(0);
    expect(value(text, 'chefcloud_schema_state{state="unknown"}')).toBe(1);
  });

  it('records domain events under their labels', async () => {
    const metrics = make();
    metrics.loginAttempt('pin', 'throttled');
    metrics.maintenanceCheck('bypassed');
    metrics.maintenanceFailedOpen();
    metrics.writeBlocked('PATCH');
    metrics.throttleHit('ip_failures');
    metrics.databaseError('schema');
    metrics.readiness({ ready: false, databaseUp: true, schemaState: 'behind', pendingMigrations: 2 });
    const text = await metrics.render();
    expect(value(text, 'chefcloud_login_attempts_total{method="pin",outcome="throttled"}')).toBe(1);
    expect(value(text, 'chefcloud_maintenance_checks_total{outcome="bypassed"}')).toBe(1);
    expect(value(text, 'chefcloud_maintenance_fail_open_total')).toBe(1);
    expect(value(text, 'chefcloud_writes_blocked_total{method="PATCH"}')).toBe(1);
    expect(value(text, 'chefcloud_login_throttle_hits_total{kind="ip_failures"}')).toBe(1);
    expect(value(text, 'chefcloud_db_errors_total{class="schema"}')).toBe(1);
    expect(value(text, 'chefcloud_schema_pending_migrations')).toBe(2);
    expect(value(text, 'chefcloud_schema_state{state="behind"}')).toBe(1);
    expect(value(text, 'chefcloud_schema_state{state="current"}')).toBe(0);
    expect(value(text, 'chefcloud_readiness_ok')).toBe(0);
    expect(value(text, 'chefcloud_database_up')).toBe(1);
  });

  it('labels flag evaluations by key only for keys in the allow-list', async () => {
    const metrics = make({ flagKeys: ['new-menu'] });
    metrics.flagEvaluated('new-menu', 'SPLIT');
    metrics.flagEvaluated('user-123-experiment', 'SPLIT');
    metrics.flagEvaluated('another-one', 'SPLIT');
    const text = await metrics.render();
    expect(value(text, 'chefcloud_flag_evaluations_total{reason="SPLIT",flag="new-menu"}')).toBe(1);
    expect(value(text, `chefcloud_flag_evaluations_total{reason="SPLIT",flag="${OTHER_FLAG}"}`)).toBe(2);
    expect(text).not.toContain('user-123-experiment');
  });

  it('reads the bcrypt queue and the pool from their sources at scrape time, and runs scrape hooks', async () => {
    const metrics = make();
    let depth = 3;
    metrics.observeBcryptQueue(() => depth);
    metrics.observeDatabasePool(() => ({ total: 4, idle: 1, waiting: 7 }));
    const hook = jest.fn(() => Promise.resolve());
    metrics.beforeScrape(hook);
    let text = await metrics.render();
    expect(hook).toHaveBeenCalledTimes(1);
    expect(value(text, 'chefcloud_bcrypt_queue_depth')).toBe(3);
    expect(value(text, 'chefcloud_db_pool_total')).toBe(4);
    expect(value(text, 'chefcloud_db_pool_idle')).toBe(1);
    expect(value(text, 'chefcloud_db_pool_waiting')).toBe(7);
    depth = 0;
    text = await metrics.render();
    expect(value(text, 'chefcloud_bcrypt_queue_depth')).toBe(0);
  });

  it('still renders when a scrape hook fails', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const metrics = make();
    metrics.beforeScrape(() => Promise.reject(new Error('database down')));
    await expect(metrics.render()).resolves.toContain('chefcloud_build_info');
    expect(warn).toHaveBeenCalledWith('a metrics scrape hook failed: Error: database down');
    warn.mockRestore();
  });

  it('collects no process metrics when disabled', async () => {
    expect(await make({ enabled: false }).render()).not.toContain('chefcloud_process_cpu');
  });
});

describe('HTTP metric labels', () => {
  it('uses the matched route template, never the raw URL', () => {
    expect(routeTemplate({ baseUrl: '', route: { path: '/ops/flags/:key' } })).toBe('/ops/flags/:key');
    expect(routeTemplate({ baseUrl: '/api', route: { path: '/health' } })).toBe('/api/health');
    expect(routeTemplate({ baseUrl: '', route: { path: '' } })).toBe('/');
    expect(routeTemplate({ baseUrl: '' })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ baseUrl: '', route: { path: '/{*path}' } })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ baseUrl: '', route: { path: '*' } })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ baseUrl: '', route: { path: /regex/ } })).toBe(UNMATCHED_ROUTE);
  });

  it('groups statuses into classes', () => {
    expect([200, 204, 301, 404, 429, 500, 503, 99, 600].map(statusClass)).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
      'other',
      'other',
    ]);
  });
});
