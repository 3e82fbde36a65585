import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { MaintenanceWindow } from '@chefcloud/db';
import type { AuthUser } from '../auth/auth.types';
import { Clock } from '../common/clock/clock';
import { AppException } from '../common/errors/app-exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { ALLOW_DURING_MAINTENANCE } from './allow-during-maintenance.decorator';
import { MaintenanceService } from './maintenance.service';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const BYPASS_HEADER = 'x-maintenance-bypass';
/** The original ChefCloud's bypass header (`X-Bypass-Maintenance: true`), accepted the same way. */
export const ORIGINAL_BYPASS_HEADER = 'x-bypass-maintenance';

interface WriteRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  user?: AuthUser;
}

/**
 * The write block. A global guard registered after the authentication guards (GLOBAL_ENHANCERS
 * in app.module.ts; global guards run in registration order), so it sees the verified user:
 * its org decides which windows apply (anonymous callers: global windows only), and an L5 user
 * may bypass with `X-Maintenance-Bypass: 1` or the original ChefCloud's
 * `X-Bypass-Maintenance: true` (logged). While a blocking window is in force,
 * POST/PUT/PATCH/DELETE get 503 MAINTENANCE with Retry-After = seconds until the window ends.
 * Routes marked @AllowDuringMaintenance() are never blocked. Each check is counted by outcome
 * (allowed, blocked, bypassed, fail_open) in chefcloud_maintenance_checks_total.
 * ENABLE_WRITE_BLOCK_MIDDLEWARE=false turns it off (logged at boot). A guard rather than an
 * interceptor: a global interceptor puts every request, reads included, through Nest's
 * interceptor chain (rxjs, AsyncResource.bind), which the benchmark showed costs ~8% of a read.
 */
@Injectable()
export class WriteBlockGuard implements CanActivate {
  private readonly logger = new Logger('WriteBlock');
  private readonly enabled: boolean;

  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly reflector: Reflector,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'changeControl'>,
    private readonly metrics: MetricsService,
  ) {
    this.enabled = config.changeControl.writeBlockEnabled;
    if (!this.enabled)
      this.logger.warn('ENABLE_WRITE_BLOCK_MIDDLEWARE=false: maintenance windows will not block writes');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.enabled || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<WriteRequest>();
    if (!WRITE_METHODS.has(req.method)) return true;
    if (
      this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_DURING_MAINTENANCE, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    const now = this.clock.now();
    const decision = await this.maintenance.isBlockedWrite(now, req.user?.orgId ?? null);
    if (!decision.blocked) {
      this.metrics.maintenanceCheck(decision.failOpen ? 'fail_open' : 'allowed');
      return true;
    }
    const asksForBypass = req.headers[BYPASS_HEADER] === '1' || req.headers[ORIGINAL_BYPASS_HEADER] === 'true';
    if (req.user?.roleLevel === 'L5' && asksForBypass) {
      this.metrics.maintenanceCheck('bypassed');
      this.logger.warn(
        {
          userId: req.user.userId,
          orgId: req.user.orgId,
          method: req.method,
          url: req.url,
          windowId: decision.window?.id,
        },
        'maintenance write block bypassed by an L5 user',
      );
      return true;
    }
    this.metrics.maintenanceCheck('blocked');
    this.metrics.writeBlocked(req.method);
    throw maintenanceError(decision.window as MaintenanceWindow, now);
  }
}

export function maintenanceError(window: MaintenanceWindow, now: Date): AppException {
  const retryAfter = Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000));
  return new AppException(
    'MAINTENANCE',
    window.message ?? 'Writes are paused for scheduled maintenance; retry after the window ends.',
    {
      headers: { 'Retry-After': String(retryAfter) },
      extra: { window: { id: window.id, endsAt: window.endsAt.toISOString() } },
    },
  );
}
