import { createHash } from 'node:crypto';
import type { RoleLevel } from '@chefcloud/db';

/** Targeting of a flag: when set, only users matching every listed dimension are eligible. */
export interface FlagScopes {
  roles?: RoleLevel[];
  branchIds?: string[];
}

/** Reasons in the spirit of OpenFeature's resolution reasons. */
export type EvaluationReason = 'DISABLED' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'ERROR';
export type EvaluationErrorCode = 'FLAG_NOT_FOUND' | 'PROVIDER_NOT_READY' | 'GENERAL';

export interface Evaluation {
  key: string;
  enabled: boolean;
  reason: EvaluationReason;
  errorCode?: EvaluationErrorCode;
  /** The user's sticky bucket 0–99 (SPLIT only). */
  bucket?: number;
}

export interface EvaluableFlag {
  key: string;
  active: boolean;
  rolloutPct: number;
  scopes: unknown;
}

export interface EvaluationSubject {
  userId: string;
  roleLevel: RoleLevel;
  branchId: string | null;
}

/**
 * Sticky rollout bucket 0–99 of a user for a flag: the first 32 bits of sha256("key:userId").
 * The same user always lands in the same bucket for a key; different keys are independent.
 */
export function rolloutBucket(key: string, userId: string): number {
  return createHash('sha256').update(`${key}:${userId}`).digest().readUInt32BE(0) % 100;
}

export function parseScopes(value: unknown): FlagScopes | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const list = (x: unknown): string[] | undefined =>
    Array.isArray(x) ? x.filter((i): i is string => typeof i === 'string') : undefined;
  const scopes: FlagScopes = { roles: list(v.roles) as RoleLevel[] | undefined, branchIds: list(v.branchIds) };
  return scopes.roles?.length || scopes.branchIds?.length ? scopes : null;
}

/**
 * Evaluate a flag for a user; pure and total (never throws):
 *  - inactive → DISABLED (off)
 *  - scopes set and the user outside them → DEFAULT (off)
 *  - rolloutPct 100 → TARGETING_MATCH (on)
 *  - otherwise → SPLIT: on when the user's sticky bucket is below rolloutPct.
 */
export function evaluateFlag(flag: EvaluableFlag, subject: EvaluationSubject): Evaluation {
  if (!flag.active) return { key: flag.key, enabled: false, reason: 'DISABLED' };
  const scopes = parseScopes(flag.scopes);
  if (scopes) {
    const roleOk = !scopes.roles?.length || scopes.roles.includes(subject.roleLevel);
    const branchOk =
      !scopes.branchIds?.length || (subject.branchId !== null && scopes.branchIds.includes(subject.branchId));
    if (!roleOk || !branchOk) return { key: flag.key, enabled: false, reason: 'DEFAULT' };
  }
  if (flag.rolloutPct >= 100) return { key: flag.key, enabled: true, reason: 'TARGETING_MATCH' };
  const bucket = rolloutBucket(flag.key, subject.userId);
  return { key: flag.key, enabled: bucket < flag.rolloutPct, reason: 'SPLIT', bucket };
}
