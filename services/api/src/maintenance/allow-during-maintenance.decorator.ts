import { SetMetadata } from '@nestjs/common';

export const ALLOW_DURING_MAINTENANCE = 'chefcloud:allowDuringMaintenance';

/**
 * Exempts a controller or route from the write block: auth (login must keep working), health,
 * the maintenance endpoints (so a window can be ended) and the feature-flag kill switch.
 * Route metadata, not URL matching, so no spelling of a path can dodge or widen it.
 */
export const AllowDuringMaintenance = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_DURING_MAINTENANCE, true);
