import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'chefcloud:isPublic';

/** The route needs no bearer token (login, health). Every other route requires one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
