import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FeatureFlagsService } from './feature-flags.service';
import { REQUIRED_FLAG, RequireFlagGuard } from './require-flag.guard';

function ctx(flag: string | undefined, user: object | undefined): ExecutionContext {
  const handler = () => undefined;
  if (flag) Reflect.defineMetadata(REQUIRED_FLAG, flag, handler);
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('RequireFlagGuard', () => {
  const flags = { isEnabled: jest.fn() };
  const guard = new RequireFlagGuard(new Reflector(), flags as unknown as FeatureFlagsService);

  it('passes routes without @RequireFlag', async () => {
    await expect(guard.canActivate(ctx(undefined, undefined))).resolves.toBe(true);
  });

  it('passes when the flag is on for the caller, 404 when off or anonymous', async () => {
    flags.isEnabled.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    await expect(guard.canActivate(ctx('beta', { userId: 'u' }))).resolves.toBe(true);
    await expect(guard.canActivate(ctx('beta', { userId: 'u' }))).rejects.toMatchObject({ status: 404 });
    await expect(guard.canActivate(ctx('beta', undefined))).rejects.toMatchObject({ status: 404 });
  });
});
