import http from 'node:http';
import type { LoadResult } from '../load';

export interface TimedRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface TimedLoadOptions {
  /** http://127.0.0.1:port */
  base: string;
  /** The request to send; called for each request (so a scenario may vary it). */
  request: () => TimedRequest;
  connections: number;
  durationSeconds: number;
  /** Stop earlier after this many requests (every load loop is bounded in count too). */
  maxRequests?: number;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * A closed-loop load: `connections` keep-alive connections, each sending its next request as
 * soon as the previous answer arrived, for `durationSeconds`. Unlike autocannon, whose latency
 * percentiles are whole milliseconds, every latency is kept at microsecond precision — the
 * scale benchmark compares p99s of a few milliseconds, where a 1 ms step would be a 30-50% error.
 */
export async function timedLoad(o: TimedLoadOptions): Promise<LoadResult> {
  const url = new URL(o.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + o.durationSeconds * 1000;
  const maxRequests = o.maxRequests ?? 1_000_000;
  let sent = 0;

  const once = (req: TimedRequest): Promise<void> =>
    new Promise((resolve) => {
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const t0 = process.hrtime.bigint();
      const r = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          headers: {
            ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
            ...req.headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) non2xx++;
            resolve();
          });
        },
      );
      r.on('error', () => {
        errors++;
        resolve();
      });
      if (body) r.write(body);
      r.end();
    });

  const worker = async () => {
    while (Date.now() < deadline && sent < maxRequests) {
      sent++;
      await once(o.request());
    }
  };
  await Promise.all(Array.from({ length: o.connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    requests: latencies.length,
    non2xx,
    errors,
  };
}
