import { createHmac } from 'node:crypto';

/**
 * Key of the badge HMAC outside production when BADGE_HASH_KEY is not set (the demo seed and
 * `npm start` use it). Production derives its key from JWT_SECRET unless BADGE_HASH_KEY is set.
 */
export const DEVELOPMENT_BADGE_HASH_KEY = 'chefcloud-development-badge-hash-key';

/** The prefix the original ChefCloud badges carry when swiped: `CLOUDBADGE:<CODE>`. */
const CLOUD_BADGE = /^CLOUDBADGE:([A-Za-z0-9_-]+)$/;

/** A badge's code: the part after `CLOUDBADGE:` for the original's badges, else the trimmed swipe. */
export function badgeCode(swipe: string): string {
  const trimmed = swipe.trim();
  return CLOUD_BADGE.exec(trimmed)?.[1] ?? trimmed;
}

/**
 * What is stored for a badge: HMAC-SHA256 (hex) of its code under `key`. A badge is a bearer
 * credential, so it is never stored in clear, and a keyed hash (unlike a bare SHA-256) cannot be
 * brute-forced from a leaked table without the key. Deterministic, so a swipe is one indexed lookup.
 */
export function hashBadge(key: string, swipe: string): string {
  return createHmac('sha256', key).update(badgeCode(swipe)).digest('hex');
}
