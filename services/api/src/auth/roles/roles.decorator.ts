import { SetMetadata } from '@nestjs/common';
import type { RoleLevel } from '@chefcloud/db';

export const MIN_ROLE = 'chefcloud:minRole';

/** The caller needs at least this role level: `@Roles('L4')` admits L4 and L5. */
export const Roles = (minimum: RoleLevel): MethodDecorator & ClassDecorator => SetMetadata(MIN_ROLE, minimum);
