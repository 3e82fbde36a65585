import type { MetricsService } from '../metrics/metrics.service';
import { Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { MaintenanceWindow } from '@chefcloud/db';
import type { AuthUser } from '../auth/auth.types';
import type { Clock } from '../common/clock/clock';
import { AppException } from '../common/errors/app-exception';
import { AllowDuringMaintenance } from './allow-during-maintenance.decorator';
import type { BlockDecision, MaintenanceService } from './maintenance.service';
import { maintenanceError, WriteBlockGuard } from './write-block.guard';

const NOW = new Date('2026-11-25T12:00:00Z');
const WINDOW: MaintenanceWindow = {
  id: 'w1',
  orgId: 'org-1',
  startsAt: new Date(NOW.getTime() - 60_000),
  endsAt: new Date(NOW.getTime() + 90_500),
  message: 'Upgrading the menu',
  blockWrites: true,
  createdById: null,
  createdAt: NOW,
  updatedAt: NOW,
};

const user = (roleLevel: AuthUser['roleLevel']): AuthUser => ({
  userId: 'u1',
  email: 'x@y.test',
  orgId: 'org-1',
  branchId: null,
  roleLevel,
  sessionId: 's1',
  platform: 'WEB_BACKOFFICE',
  sessionExpiresAt: NOW,
});

class Routes {
  write(): void {}
  @AllowDuringMaintenance()
  exempt(): void {}
}
@AllowDuringMaintenance()
class ExemptController {
  write(): void {}
}

function context(
  req: { method: string; user?: AuthUser; headers?: Record<string, string> },
  handler: 'write' | 'exempt' = 'write',
  cls: new () => object = Routes,
  type = 'http',
): ExecutionContext {
  return {
    getType: () => type,
    getHandler: () => (cls.prototype as Record<string, unknown>)[handler],
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => ({ url: '/x', headers: {}, ...req }) }),
  } as unknown as ExecutionContext;
}

function setup(decision: BlockDecision = { blocked: true, window: WINDOW }, enabled = true) {
  const maintenance = { isBlockedWrite: jest.fn().mockResolvedValue(decision) };
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const metrics = { maintenanceCheck: jest.fn(), writeBlocked: jest.fn() };
  const guard = new WriteBlockGuard(
    maintenance as unknown as MaintenanceService,
    new Reflector(),
    { now: () => NOW } as Clock,
    {
      changeControl: {
        writeBlockEnabled: enabled,
        maintenanceCacheTtlMs: 5000,
        maxOpenWindows: 20,
        flagCacheTtlMs: 5000,
        platformAdminOrgSlug: null,
      },
    },
    metrics as unknown as MetricsService,
  );
  const run = (ctx: ExecutionContext) => guard.canActivate(ctx).then((allowed) => (allowed ? 'handled' : 'refused'));
  return { guard, maintenance, run, warn, metrics };
}

afterEach(() => jest.restoreAllMocks());

describe('WriteBlockGuard', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'refuses %s during a blocking window with 503 MAINTENANCE',
    async (method) => {
      const { run, maintenance, metrics } = setup();
      const error = await run(context({ method, user: user('L4') })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppException);
      expect((error as AppException).getStatus()).toBe(503);
      expect((error as AppException).getResponse()).toEqual({
        statusCode: 503,
        code: 'MAINTENANCE',
        message: 'Upgrading the menu',
        window: { id: 'w1', endsAt: WINDOW.endsAt.toISOString() },
      });
      expect((error as AppException).headers).toEqual({ 'Retry-After': '91' });
      expect(maintenance.isBlockedWrite).toHaveBeenCalledWith(NOW, 'org-1');
      expect(metrics.maintenanceCheck).toHaveBeenCalledWith('blocked');
      expect(metrics.writeBlocked).toHaveBeenCalledWith(method);
    },
  );

  it.each(['GET', 'HEAD', 'OPTIONS'])('never checks %s', async (method) => {
    const { run, maintenance } = setup();
    await expect(run(context({ method, user: user('L1') }))).resolves.toBe('handled');
    expect(maintenance.isBlockedWrite).not.toHaveBeenCalled();
  });

  it('lets writes through when no window blocks, counted as allowed', async () => {
    const { run, metrics } = setup({ blocked: false });
    await expect(run(context({ method: 'POST', user: user('L1') }))).resolves.toBe('handled');
    expect(metrics.maintenanceCheck).toHaveBeenCalledWith('allowed');
    expect(metrics.writeBlocked).not.toHaveBeenCalled();
  });

  it('lets writes through when the check failed open, counted as fail_open', async () => {
    const { run, metrics } = setup({ blocked: false, failOpen: true });
    await expect(run(context({ method: 'POST', user: user('L1') }))).resolves.toBe('handled');
    expect(metrics.maintenanceCheck).toHaveBeenCalledWith('fail_open');
  });

  it('checks anonymous callers against global windows only', async () => {
    const { run, maintenance } = setup({ blocked: false });
    await run(context({ method: 'POST' }));
    expect(maintenance.isBlockedWrite).toHaveBeenCalledWith(NOW, null);
  });

  it('exempts routes and controllers marked @AllowDuringMaintenance()', async () => {
    const { run, maintenance } = setup();
    await expect(run(context({ method: 'POST', user: user('L1') }, 'exempt'))).resolves.toBe('handled');
    await expect(run(context({ method: 'DELETE', user: user('L1') }, 'write', ExemptController))).resolves.toBe(
      'handled',
    );
    expect(maintenance.isBlockedWrite).not.toHaveBeenCalled();
  });

  it('lets L5 bypass with X-Maintenance-Bypass: 1, logs it and counts it as bypassed', async () => {
    const { run, warn, metrics } = setup();
    await expect(
      run(context({ method: 'PATCH', user: user('L5'), headers: { 'x-maintenance-bypass': '1' } })),
    ).resolves.toBe('handled');
    expect(metrics.maintenanceCheck).toHaveBeenCalledWith('bypassed');
    expect(metrics.writeBlocked).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ userId: 'u1', windowId: 'w1' }),
      'maintenance write block bypassed by an L5 user',
    );
  });

  it('lets L5 bypass with the original ChefCloud header X-Bypass-Maintenance: true, logged the same way', async () => {
    const { run, warn } = setup();
    await expect(
      run(context({ method: 'POST', user: user('L5'), headers: { 'x-bypass-maintenance': 'true' } })),
    ).resolves.toBe('handled');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ userId: 'u1', windowId: 'w1' }),
      'maintenance write block bypassed by an L5 user',
    );
  });

  it.each<[string, AuthUser | undefined, Record<string, string>]>([
    ['L4 with the header', user('L4'), { 'x-maintenance-bypass': '1' }],
    ['L4 with the original header', user('L4'), { 'x-bypass-maintenance': 'true' }],
    ['L5 with the original header set to 1', user('L5'), { 'x-bypass-maintenance': '1' }],
    ['an anonymous caller with the original header', undefined, { 'x-bypass-maintenance': 'true' }],
    ['L5 without the header', user('L5'), {}],
    ['L5 with another value', user('L5'), { 'x-maintenance-bypass': 'yes' }],
    ['an anonymous caller with the header', undefined, { 'x-maintenance-bypass': '1' }],
  ])('does not bypass for %s', async (_name, u, headers) => {
    const { run } = setup();
    await expect(run(context({ method: 'POST', user: u, headers }))).rejects.toMatchObject({ status: 503 });
  });

  it('does nothing when disabled (ENABLE_WRITE_BLOCK_MIDDLEWARE=false) and says so at construction', async () => {
    const { run, maintenance, warn } = setup({ blocked: true, window: WINDOW }, false);
    expect(warn).toHaveBeenCalledWith('ENABLE_WRITE_BLOCK_MIDDLEWARE=false: maintenance windows will not block writes');
    await expect(run(context({ method: 'POST', user: user('L1') }))).resolves.toBe('handled');
    expect(maintenance.isBlockedWrite).not.toHaveBeenCalled();
  });

  it('ignores non-HTTP contexts', async () => {
    const { run, maintenance } = setup();
    await expect(run(context({ method: 'POST' }, 'write', Routes, 'rpc'))).resolves.toBe('handled');
    expect(maintenance.isBlockedWrite).not.toHaveBeenCalled();
  });

  it('lets errors of the check propagate (database down → 503 from the filter)', async () => {
    const { run, maintenance } = setup();
    maintenance.isBlockedWrite.mockRejectedValue(new Error('ECONNREFUSED'));
    await expect(run(context({ method: 'POST', user: user('L1') }))).rejects.toThrow('ECONNREFUSED');
  });
});

describe('maintenanceError', () => {
  it('uses a default message and never a Retry-After below 1 second', () => {
    const error = maintenanceError({ ...WINDOW, message: null, endsAt: new Date(NOW.getTime() + 10) }, NOW);
    expect(error.headers).toEqual({ 'Retry-After': '1' });
    expect((error.getResponse() as { message: string }).message).toMatch(/scheduled maintenance/);
    expect(maintenanceError({ ...WINDOW, endsAt: new Date(NOW.getTime() - 5000) }, NOW).headers).toEqual({
      'Retry-After': '1',
    });
  });
});
