import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RoleLevel } from '@chefcloud/db';
import { AppException } from '../../common/errors/app-exception';
import { roleRank, type AuthUser } from '../auth.types';
import { MIN_ROLE } from './roles.decorator';

/**
 * Enforces `@Roles(min)` (method over class): 403 INSUFFICIENT_ROLE below the level. Runs after
 * the JWT guard, so the role comes from the verified token and its session, never from input.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const minimum = this.reflector.getAllAndOverride<RoleLevel | undefined>(MIN_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!minimum) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw new AppException('UNAUTHORIZED', 'Authentication required');
    if (roleRank(user.roleLevel) < roleRank(minimum)) {
      throw new AppException('INSUFFICIENT_ROLE', `This action requires role level ${minimum} or higher`, {
        details: { required: minimum, actual: user.roleLevel },
      });
    }
    return true;
  }
}
