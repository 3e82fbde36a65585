import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PATCH';
  headers?: Record<string, string>;
  body?: unknown;
  connections: number;
  durationSeconds: number;
  /** Requests per second across all connections (default: as fast as possible). */
  overallRate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** Drive one endpoint with autocannon for `durationSeconds` (this process; the API runs in its own). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
  });
  return {
    // Completed requests over the run's real duration (not the mean of per-second buckets, which
    // under-counts slow requests such as logins whose first second completes nothing).
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * A warm-up run leaves requests in flight on the server when autocannon stops (a login keeps
 * hashing): wait for them before measuring, or they steal CPU from the measured run.
 */
export async function settleAfter(result: LoadResult): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(200, Math.min(10_000, result.p99Ms * 1.5))));
}
