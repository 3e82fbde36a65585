import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { ReadinessService, type Readiness } from '../health/readiness.service';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';

/** A database check slower than this is reported "slow" by /ops/ready (the original's threshold). */
const SLOW_DATABASE_MS = 1000;

const NOT_USED = 'not used by ChefCloud Core';

/** Readiness as the original's /readiness reported it: each detail "ok", "skipped" or "error:<why>". */
export function originalReadiness(r: Readiness): {
  status: 'ok' | 'degraded';
  ok: boolean;
  details: { db: string; schema: string; redis: string; env: string };
} {
  const ok = r.status === 'ok';
  return {
    status: ok ? 'ok' : 'degraded',
    ok,
    details: {
      db: r.db === 'up' ? 'ok' : `error:${r.error ?? 'database unavailable'}`,
      schema:
        r.schema.state === 'current'
          ? 'ok'
          : r.schema.pending.length
            ? `error:pending migrations ${r.schema.pending.join(', ')}`
            : `error:schema ${r.schema.state}`,
      redis: 'skipped',
      env: 'ok',
    },
  };
}

function databaseError(r: Readiness): string {
  if (r.db === 'down') return r.error ?? 'database unavailable';
  return `schema ${r.schema.state}${r.schema.pending.length ? `: pending ${r.schema.pending.join(', ')}` : ''}`;
}

/**
 * The original ChefCloud's probe routes, kept for its CI smoke test, deploy scripts, k6 scenarios
 * and runbook. Thin: every answer comes from ReadinessService (database up and schema current),
 * reshaped. Our own probes are GET /api/health (readiness) and GET /api/health/live (liveness).
 */
@ApiTags('compat: original ChefCloud')
@Public()
@AllowDuringMaintenance()
@Controller()
export class CompatHealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('healthz')
  @ApiOperation({ deprecated: true, summary: 'Liveness (original path); use GET /api/health/live' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health')
  @ApiOperation({
    deprecated: true,
    summary: 'Liveness (path the original deploy files probe); use GET /api/health/live',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readiness')
  @ApiOperation({
    deprecated: true,
    summary: 'Readiness in the original shape: 200 when the database is up and the schema current, else 503',
  })
  @ApiOkResponse({
    schema: { example: { status: 'ok', ok: true, details: { db: 'ok', schema: 'ok', redis: 'skipped', env: 'ok' } } },
  })
  @ApiServiceUnavailableResponse({ description: 'Database down or migrations pending (status "degraded")' })
  async readinessCheck(@Res({ passthrough: true }) res: Response): Promise<ReturnType<typeof originalReadiness>> {
    const body = originalReadiness(await this.readiness.check());
    res.status(body.ok ? 200 : 503).setHeader('Cache-Control', 'no-store');
    return body;
  }

  @Get('ops/health')
  @ApiOperation({ deprecated: true, summary: 'Health in the original /ops/health shape; always 200' })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'healthy',
        timestamp: '2026-11-26T09:00:00.000Z',
        checks: {
          database: { status: 'up' },
          redis: { status: 'unknown', error: NOT_USED },
          queue: { status: 'unknown', error: NOT_USED },
        },
      },
    },
  })
  async opsHealth(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    const r = await this.readiness.check();
    const up = r.status === 'ok';
    res.setHeader('Cache-Control', 'no-store');
    return {
      status: up ? 'healthy' : 'unhealthy',
      timestamp: new Date().toISOString(),
      checks: {
        database: up ? { status: 'up' } : { status: 'down', error: databaseError(r) },
        redis: { status: 'unknown', error: NOT_USED },
        queue: { status: 'unknown', error: NOT_USED },
      },
    };
  }

  @Get('ops/ready')
  @ApiOperation({
    deprecated: true,
    summary: 'Readiness in the original /ops/ready shape; always 200 (read `status`: ready, degraded, not_ready)',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ready',
        timestamp: '2026-11-26T09:00:00.000Z',
        checks: {
          database: { status: 'ready', responseMs: 3 },
          redis: { status: 'unknown', error: NOT_USED },
          queue: { status: 'unknown', error: NOT_USED },
        },
      },
    },
  })
  async opsReady(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    const started = performance.now();
    const r = await this.readiness.check();
    const responseMs = Math.round(performance.now() - started);
    const database =
      r.status !== 'ok'
        ? { status: 'not_ready', responseMs, error: databaseError(r) }
        : { status: responseMs > SLOW_DATABASE_MS ? 'slow' : 'ready', responseMs };
    res.setHeader('Cache-Control', 'no-store');
    return {
      status: database.status === 'ready' ? 'ready' : database.status === 'slow' ? 'degraded' : 'not_ready',
      timestamp: new Date().toISOString(),
      checks: {
        database,
        redis: { status: 'unknown', error: NOT_USED },
        queue: { status: 'unknown', error: NOT_USED },
      },
    };
  }
}
