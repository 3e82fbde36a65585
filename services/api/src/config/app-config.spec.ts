import { ConfigValidationError, loadConfig } from './app-config';

const base = { DATABASE_URL: 'postgresql://u:p@localhost:5432/db' };

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig(base, false);
    expect(config.port).toBe(3001);
    expect(config.nodeEnv).toBe('development');
    expect(config.http.bodyLimit).toBe('100kb');
    expect(config.log.pretty).toBe(false);
    expect(config.changeControl).toEqual({
      writeBlockEnabled: true,
      maintenanceCacheTtlMs: 5000,
      flagCacheTtlMs: 5000,
      platformAdminOrgSlug: null,
      maxOpenWindows: 20,
    });
  });

  it("allows the original clients' dev origins by default outside production, none by default in production", () => {
    expect(loadConfig(base, false).http.corsOrigins).toEqual(['http://localhost:3000', 'http://localhost:5173']);
    const prod = { ...base, NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) };
    expect(loadConfig(prod, false).http.corsOrigins).toEqual([]);
    expect(loadConfig({ ...prod, CORS_ORIGINS: 'https://a.test, https://b.test' }, false).http.corsOrigins).toEqual([
      'https://a.test',
      'https://b.test',
    ]);
    expect(loadConfig({ ...base, CORS_ORIGINS: '' }, false).http.corsOrigins).toEqual([]);
  });

  it('keys badge hashes with BADGE_HASH_KEY, else the development key, else (production) a key derived from JWT_SECRET', () => {
    expect(loadConfig({ ...base, BADGE_HASH_KEY: 'k'.repeat(20) }, false).badgeHashKey).toBe('k'.repeat(20));
    expect(loadConfig(base, false).badgeHashKey).toBe('chefcloud-development-badge-hash-key');
    const prod = (secret: string) =>
      loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: secret }, false).badgeHashKey;
    expect(prod('a'.repeat(40))).toBe(prod('a'.repeat(40)));
    expect(prod('a'.repeat(40))).not.toBe(prod('b'.repeat(40)));
    expect(prod('a'.repeat(40))).not.toContain('a'.repeat(40));
    expect(() => loadConfig({ ...base, BADGE_HASH_KEY: 'short' }, false)).toThrow(/BADGE_HASH_KEY/);
  });

  it('reads an empty PLATFORM_ADMIN_ORG_SLUG (what Render stores for an empty sync: false value) as unset: nobody is a platform admin', () => {
    expect(loadConfig({ ...base, PLATFORM_ADMIN_ORG_SLUG: '' }, false).changeControl.platformAdminOrgSlug).toBeNull();
    expect(loadConfig({ ...base, PLATFORM_ADMIN_ORG_SLUG: '  ' }, false).changeControl.platformAdminOrgSlug).toBeNull();
    expect(loadConfig({ ...base, PLATFORM_ADMIN_ORG_SLUG: 'ops' }, false).changeControl.platformAdminOrgSlug).toBe(
      'ops',
    );
  });

  it('turns the write block off with ENABLE_WRITE_BLOCK_MIDDLEWARE=false', () => {
    expect(loadConfig({ ...base, ENABLE_WRITE_BLOCK_MIDDLEWARE: 'false' }, false).changeControl.writeBlockEnabled).toBe(
      false,
    );
    expect(() => loadConfig({ ...base, ENABLE_WRITE_BLOCK_MIDDLEWARE: 'maybe' }, false)).toThrow(
      /ENABLE_WRITE_BLOCK_MIDDLEWARE/,
    );
  });

  it('reads the observability settings: metrics on by default, no token, tracing off', () => {
    const config = loadConfig(base, false);
    expect(config.metrics).toEqual({ enabled: true, token: null, flagKeys: [] });
    expect(config.tracing).toEqual({ endpoint: null });
    const set = loadConfig(
      {
        ...base,
        METRICS_ENABLED: 'false',
        METRICS_TOKEN: 't'.repeat(16),
        METRICS_FLAG_KEYS: 'new-menu, beta ,',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      },
      false,
    );
    expect(set.metrics).toEqual({ enabled: false, token: 't'.repeat(16), flagKeys: ['new-menu', 'beta'] });
    expect(set.tracing).toEqual({ endpoint: 'http://collector:4318' });
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short' }, false)).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, false)).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });

  it('fails fast without DATABASE_URL, naming the variable', () => {
    expect(() => loadConfig({}, false)).toThrow(ConfigValidationError);
    expect(() => loadConfig({}, false)).toThrow(/DATABASE_URL/);
  });

  it('requires a JWT_SECRET of 32+ characters in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' }, false)).toThrow(
      /JWT_SECRET is required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'short' }, false)).toThrow(
      /at least 32 characters/,
    );
    const config = loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, true);
    expect(config.jwt).toEqual({
      secret: 'x'.repeat(32),
      secretGenerated: false,
      ttlSeconds: 8 * 3600,
      deviceTtlSeconds: 12 * 3600,
    });
    expect(config.log.pretty).toBe(false);
  });

  it('generates a random secret per start in development', () => {
    const a = loadConfig(base, false);
    const b = loadConfig(base, false);
    expect(a.jwt.secretGenerated).toBe(true);
    expect(a.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(a.jwt.secret).not.toBe(b.jwt.secret);
  });

  it('reports every invalid variable at once', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'abc', LOG_LEVEL: 'loud' }, false);
      throw new Error('expected a ConfigValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const issues = (error as ConfigValidationError).issues.join('\n');
      expect(issues).toMatch(/DATABASE_URL/);
      expect(issues).toMatch(/PORT/);
      expect(issues).toMatch(/LOG_LEVEL/);
    }
  });

  it('parses CORS origins', () => {
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.test, https://b.test' }, false).http.corsOrigins).toEqual([
      'https://a.test',
      'https://b.test',
    ]);
  });
});
