import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';

const startedAt = Date.now();

/** Health endpoints under /api/health (the API has no global prefix; auth and ops are at the root). */
@ApiTags('health')
@Public()
@AllowDuringMaintenance()
@Controller('api/health')
export class HealthController {
  /** Liveness: the process is up and serving HTTP. Never touches the database. */
  @Get('live')
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
  }
}
