import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { AppException } from '../common/errors/app-exception';
import { ErrorEnvelopeDto } from '../common/errors/error-envelope.dto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';
import { metricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

/** The OpenAPI security scheme of the metrics paths (docs/openapi.ts declares it). */
export const METRICS_SECURITY = 'metrics';

/**
 * Prometheus metrics at GET /metrics and GET /ops/metrics (the original service's path).
 * Public to the JWT guard (a scraper has no user session: its credential is METRICS_TOKEN,
 * checked here), never blocked by maintenance. In the OpenAPI document as what it is: a
 * text/plain answer (Prometheus's exposition format) behind its own bearer scheme (`metrics`).
 */
@ApiTags('ops')
@ApiBearerAuth(METRICS_SECURITY)
@Public()
@AllowDuringMaintenance()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'isProduction' | 'metrics'>,
  ) {}

  @Get(['metrics', 'ops/metrics'])
  @ApiOperation({
    summary:
      'Prometheus metrics (text exposition format); needs METRICS_TOKEN when one is set, 404 in production without one',
  })
  @ApiOkResponse({
    description: 'The Prometheus text exposition format (version 0.0.4)',
    content: { 'text/plain': { schema: { type: 'string', example: 'chefcloud_schema_pending_migrations 0\n' } } },
  })
  @ApiUnauthorizedResponse({
    description: 'METRICS_TOKEN is set and the bearer token is missing or wrong',
    type: ErrorEnvelopeDto,
  })
  @ApiNotFoundResponse({
    description: 'METRICS_ENABLED=false, or production without METRICS_TOKEN',
    type: ErrorEnvelopeDto,
  })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    switch (metricsAccess(this.config, authorization)) {
      case 'not_found':
        throw new AppException('NOT_FOUND', 'Not found');
      case 'unauthorized':
        throw new AppException('UNAUTHORIZED', 'A valid metrics bearer token is required', {
          headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
        });
      case 'allowed':
        break;
    }
    const body = await this.metrics.render();
    res.setHeader('Content-Type', this.metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
