import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './repo';

// The alert rules' own behaviour is tested by promtool (prometheus/alerts.test.yml, run by
// .ci/run). This checks what promtool does not: every alert is actionable (summary,
// description, severity) and links to a runbook section that exists, and the failures the
// issue names each have an alert with a firing and a silent promtool case. (That every metric the
// rules read is exported is checked against a real scrape: services/api/test/metrics.int-spec.ts.)

interface Rule {
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const PROMETHEUS_DIR = path.join(REPO_ROOT, 'packages/deploy/prometheus');
const rules = (
  parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((g) => g.rules);
const alerts = rules.filter((r): r is Rule & { alert: string } => typeof r.alert === 'string');
const tests = (
  parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8')) as {
    tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
  }
).tests.flatMap((t) => t.alert_rule_test);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('Prometheus alert rules (packages/deploy/prometheus/alerts.yml)', () => {
  it('covers every failure an operator must hear about', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      [
        'ChefCloudDatabaseUnavailable',
        'ChefCloudHigh5xxRatio',
        'ChefCloudLoginShedding',
        'ChefCloudLoginThrottlingSpike',
        'ChefCloudMaintenanceFailOpen',
        'ChefCloudReadinessFailing',
        'ChefCloudSchemaBehind',
      ].sort(),
    );
  });

  it.each(alerts.map((a) => [a.alert, a] as const))(
    '%s has a severity, a summary, a description and a runbook section that exists',
    (_name, alert) => {
      expect(['critical', 'warning']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary?.length).toBeGreaterThan(10);
      expect(alert.annotations?.description?.length).toBeGreaterThan(40);
      const match = /^docs\/runbooks\/([\w.-]+\.md)#([\w-]+)$/.exec(alert.annotations?.runbook_url ?? '');
      expect(match).not.toBeNull();
      const [, file, anchor] = match as RegExpExecArray;
      const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/runbooks', file), 'utf8');
      expect(anchors(doc)).toContain(anchor);
    },
  );

  it.each(alerts.map((a) => [a.alert] as const))(
    '%s has a promtool case where it fires and one where it stays silent',
    (name) => {
      const cases = tests.filter((t) => t.alertname === name);
      expect(cases.some((t) => t.exp_alerts.length > 0)).toBe(true);
      expect(cases.some((t) => t.exp_alerts.length === 0)).toBe(true);
    },
  );
});
