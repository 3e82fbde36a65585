import { haproxyConfig } from './haproxy';

describe('HAProxy as Render’s router', () => {
  const config = haproxyConfig({
    dir: '/tmp/x',
    proxyPort: 4000,
    healthCheckPath: '/api/health',
    servers: [
      { name: 'old', port: 4001, enabled: true },
      { name: 'new', port: 4002, enabled: false },
    ],
  });

  it('listens on loopback only and health-checks healthCheckPath with Render’s rule (2xx/3xx within 5 s)', () => {
    expect(config).toContain('bind 127.0.0.1:4000');
    expect(config).toContain('option httpchk GET /api/health');
    expect(config).toContain('http-check expect rstatus ^[23]');
    expect(config).toContain('timeout check 5s');
  });

  it('starts the new instance out of rotation and retries a refused connection on the other server', () => {
    expect(config).toContain('server old 127.0.0.1:4001 check\n');
    expect(config).toContain('server new 127.0.0.1:4002 check disabled');
    expect(config).toContain('option redispatch');
    expect(config).toContain('stats socket /tmp/x/admin.sock');
  });
});
