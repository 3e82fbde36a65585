import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from '../auth/auth.types';
import { AppException } from '../common/errors/app-exception';
import { FeatureFlagsService } from './feature-flags.service';

export const REQUIRED_FLAG = 'chefcloud:requiredFlag';

/** 404 unless the feature flag `key` is on for the caller (the feature does not exist for them). */
@Injectable()
export class RequireFlagGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly flags: FeatureFlagsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const key = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_FLAG, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!key) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user && (await this.flags.isEnabled(key, user))) return true;
    throw new AppException('NOT_FOUND', 'Not found');
  }
}

/** Route only exists while feature flag `key` is on for the caller (404 otherwise). */
export const RequireFlag = (key: string): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_FLAG, key), UseGuards(RequireFlagGuard));
