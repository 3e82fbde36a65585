import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { AppException } from '../common/errors/app-exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';
import { metricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics at GET /metrics and GET /ops/metrics (the original service's path).
 * Public to the JWT guard (a scraper has no user session: its credential is METRICS_TOKEN,
 * checked here), never blocked by maintenance. Left out of the OpenAPI document: it is for
 * Prometheus, not for the API's clients.
 */
@ApiExcludeController()
@Public()
@AllowDuringMaintenance()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'isProduction' | 'metrics'>,
  ) {}

  @Get(['metrics', 'ops/metrics'])
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
