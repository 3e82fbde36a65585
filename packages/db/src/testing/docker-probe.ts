import fs from 'node:fs';
import http from 'node:http';

/**
 * Whether a Docker engine answers `GET /_ping` within `timeoutMs`, on DOCKER_HOST (unix:// or
 * tcp://) or the default socket. Only answers count: an installed client is not enough.
 */
export function isDockerAvailable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1_500): Promise<boolean> {
  const host = env.DOCKER_HOST;
  let request: http.RequestOptions;
  if (host?.startsWith('tcp://') || host?.startsWith('http://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    request = { host: url.hostname, port: Number(url.port || 2375), path: '/_ping' };
  } else {
    const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
    if (!fs.existsSync(socketPath)) return Promise.resolve(false);
    request = { socketPath, path: '/_ping' };
  }
  return new Promise((resolve) => {
    const req = http.get({ ...request, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
  });
}
