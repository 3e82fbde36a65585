import type { JobRole, RoleLevel } from '@chefcloud/db';

/** Where a session was opened; in-store devices (POS, KDS) get the longer device token lifetime. */
export const PLATFORMS = ['WEB_BACKOFFICE', 'POS_DESKTOP', 'MOBILE_APP', 'KDS_SCREEN', 'OTHER'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const DEVICE_PLATFORMS: readonly Platform[] = ['POS_DESKTOP', 'KDS_SCREEN'];

export const ROLE_LEVELS = ['L1', 'L2', 'L3', 'L4', 'L5'] as const satisfies readonly RoleLevel[];

/** Job roles (the `JobRole` enum), in the order of the original ChefCloud. */
export const JOB_ROLES = [
  'OWNER',
  'MANAGER',
  'ACCOUNTANT',
  'PROCUREMENT',
  'STOCK_MANAGER',
  'SUPERVISOR',
  'CASHIER',
  'CHEF',
  'WAITER',
  'BARTENDER',
  'EVENT_MANAGER',
] as const satisfies readonly JobRole[];

/** Numeric rank of a role level (L1 = 1 … L5 = 5). */
export function roleRank(level: RoleLevel): number {
  return ROLE_LEVELS.indexOf(level) + 1;
}

/** Claims of a ChefCloud access token (HS256). */
export interface AccessTokenClaims {
  sub: string;
  orgId: string;
  roleLevel: RoleLevel;
  /** Session id (row in `sessions`). */
  sid: string;
  /** The user's session_version when the token was issued; logout-all bumps it. */
  sv: number;
  jti: string;
  iat?: number;
  exp?: number;
}

/** The authenticated caller, as verified from the token and its session (request.user). */
export interface AuthUser {
  userId: string;
  email: string;
  orgId: string;
  branchId: string | null;
  roleLevel: RoleLevel;
  sessionId: string;
  platform: string;
  sessionExpiresAt: Date;
}

export const JWT_ISSUER = 'chefcloud-api';
export const JWT_AUDIENCE = 'chefcloud';
