import { metricsAccess } from './metrics-access';

const TOKEN = 'scrape-token-0123456789';
const config = (over: { enabled?: boolean; token?: string | null; isProduction?: boolean }) => ({
  isProduction: over.isProduction ?? true,
  metrics: { enabled: over.enabled ?? true, token: over.token === undefined ? TOKEN : over.token, flagKeys: [] },
});

describe('metricsAccess', () => {
  it('answers 404 to everyone when METRICS_ENABLED=false, token or not', () => {
    expect(metricsAccess(config({ enabled: false }), `Bearer ${TOKEN}`)).toBe('not_found');
    expect(metricsAccess(config({ enabled: false, isProduction: false, token: null }), undefined)).toBe('not_found');
  });

  it('answers 404 in production without a configured token', () => {
    expect(metricsAccess(config({ token: null }), undefined)).toBe('not_found');
    expect(metricsAccess(config({ token: null }), 'Bearer anything-at-all')).toBe('not_found');
  });

  it('is open outside production when no token is configured', () => {
    expect(metricsAccess(config({ token: null, isProduction: false }), undefined)).toBe('allowed');
  });

  it('requires exactly the configured bearer token when one is set, in every environment', () => {
    for (const isProduction of [true, false]) {
      expect(metricsAccess(config({ isProduction }), `Bearer ${TOKEN}`)).toBe('allowed');
      expect(metricsAccess(config({ isProduction }), `bearer ${TOKEN}`)).toBe('allowed');
      expect(metricsAccess(config({ isProduction }), undefined)).toBe('unauthorized');
      expect(metricsAccess(config({ isProduction }), TOKEN)).toBe('unauthorized');
      expect(metricsAccess(config({ isProduction }), `Bearer ${TOKEN}x`)).toBe('unauthorized');
      expect(metricsAccess(config({ isProduction }), `Bearer ${TOKEN.slice(0, -1)}`)).toBe('unauthorized');
      expect(metricsAccess(config({ isProduction }), `Basic ${TOKEN}`)).toBe('unauthorized');
    }
  });
});
