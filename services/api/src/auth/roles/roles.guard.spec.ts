import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RoleLevel } from '@chefcloud/db';
import { ROLE_LEVELS } from '../auth.types';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

function contextFor(minimum: RoleLevel | undefined, roleLevel: RoleLevel | undefined): ExecutionContext {
  class Probe {
    handler(): void {}
  }
  if (minimum) Roles(minimum)(Probe.prototype, 'handler', Object.getOwnPropertyDescriptor(Probe.prototype, 'handler')!);
  return {
    getHandler: () => Probe.prototype.handler,
    getClass: () => Probe,
    switchToHttp: () => ({ getRequest: () => ({ user: roleLevel ? { roleLevel } : undefined }) }),
  } as unknown as ExecutionContext;
}

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());

  it('admits every caller on routes without @Roles', () => {
    expect(guard.canActivate(contextFor(undefined, 'L1'))).toBe(true);
  });

  // The full matrix: @Roles(min) admits exactly the levels >= min.
  for (const minimum of ROLE_LEVELS) {
    for (const actual of ROLE_LEVELS) {
      const allowed = ROLE_LEVELS.indexOf(actual) >= ROLE_LEVELS.indexOf(minimum);
      it(`@Roles('${minimum}') ${allowed ? 'admits' : 'refuses (403)'} ${actual}`, () => {
        const run = () => guard.canActivate(contextFor(minimum, actual));
        if (allowed) expect(run()).toBe(true);
        else expect(run).toThrow(expect.objectContaining({ status: 403 }) as Error);
      });
    }
  }

  it('answers 401 when a role is required and there is no user', () => {
    expect(() => guard.canActivate(contextFor('L1', undefined))).toThrow(
      expect.objectContaining({ status: 401 }) as Error,
    );
  });
});
