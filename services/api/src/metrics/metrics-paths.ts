const METRICS_PATHS = /^\/(ops\/)?metrics(\?|\/?$)/;

/**
 * GET /metrics and /ops/metrics, what a Prometheus scrape requests: logged at debug only and
 * never traced. No imports: tracing/tracing.ts uses it before Express and Nest are loaded.
 */
export function isMetricsPath(url: string | undefined): boolean {
  return METRICS_PATHS.test(url ?? '');
}
