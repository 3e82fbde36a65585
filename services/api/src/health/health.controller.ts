import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';
import { ReadinessService, type Readiness } from './readiness.service';

const startedAt = Date.now();

const readyExample = {
  status: 'ok',
  db: 'up',
  schema: {
    state: 'current',
    applied: 5,
    latest: '20261126120000_original_clients',
    pending: [],
  },
  version: '0.1.0',
  uptimeSeconds: 42,
  timestamp: '2026-11-26T09:00:00.000Z',
  uptime: 42.137,
  services: { database: 'ok' },
};

/** Readiness plus the fields the original ChefCloud's health page and deploy scripts read. */
export type HealthReport = Readiness & {
  /** When this answer was made (ISO 8601). */
  timestamp: string;
  /** Seconds since the process started, with fractions (the original's `uptime`). */
  uptime: number;
  services: { database: 'ok' | 'down' };
};

/** Add the original's `timestamp`, `uptime` and `services.database` beside our readiness fields. */
export function withOriginalHealthFields(result: Readiness, now = new Date()): HealthReport {
  return {
    ...result,
    timestamp: now.toISOString(),
    uptime: process.uptime(),
    services: { database: result.db === 'up' ? 'ok' : 'down' },
  };
}

/** Health endpoints under /api/health (the API has no global prefix; auth and ops are at the root). */
@ApiTags('health')
@Public()
@AllowDuringMaintenance()
@Controller('api/health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /**
   * Readiness, the check Render polls (healthCheckPath): 200 only when the database answers and
   * every migration this build ships is applied, so a build whose migrations did not run never
   * receives traffic. 503 with the same body otherwise.
   */
  @Get()
  @ApiOperation({
    summary: 'Readiness: database up and schema current (200), else 503 with the reason; answers within 2 s',
  })
  @ApiOkResponse({ description: 'Ready', schema: { example: readyExample } })
  @ApiServiceUnavailableResponse({
    description: 'Database down, or migrations pending',
    schema: {
      example: {
        ...readyExample,
        status: 'unavailable',
        schema: {
          state: 'behind',
          applied: 2,
          latest: '20251029222740_change_control',
          pending: ['20261125090000_login_throttle'],
        },
      },
    },
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const result = await this.readiness.check();
    res.status(result.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return withOriginalHealthFields(result);
  }

  /** Liveness: the process is up and serving HTTP. Never touches the database. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP (never touches the database)' })
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
  }
}
