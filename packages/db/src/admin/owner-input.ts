import isEmail from 'validator/lib/isEmail';

/** What `npm run admin:create-owner` needs to create the first org and its owner. */
export interface OwnerInput {
  orgName: string;
  orgSlug: string;
  /** Stored trimmed and lower-case: the API looks logins up that way. */
  email: string;
  firstName: string;
  lastName: string;
  password: string;
}

/** Lower-case words joined by single hyphens, the form of every org slug the API serves. */
export const ORG_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt ignores everything past 72 bytes; a longer password would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

/**
 * Validate and normalise the owner's details with the API's rules (LoginDto: a valid email of at
 * most 254 characters, trimmed and lower-cased). Returns the normalised input, or every problem.
 */
export function validateOwnerInput(raw: OwnerInput): { ok: true; value: OwnerInput } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const value: OwnerInput = {
    orgName: raw.orgName.trim(),
    orgSlug: raw.orgSlug.trim(),
    email: raw.email.trim().toLowerCase(),
    firstName: raw.firstName.trim(),
    lastName: raw.lastName.trim(),
    password: raw.password,
  };
  if (!value.orgName || value.orgName.length > 200) errors.push('--org-name must be 1 to 200 characters');
  if (!ORG_SLUG_PATTERN.test(value.orgSlug) || value.orgSlug.length > 64)
    errors.push(
      '--org-slug must be lower-case letters and digits joined by single hyphens (at most 64), e.g. acme-ops',
    );
  if (value.email.length > 254 || !isEmail(value.email)) errors.push('--email must be a valid email address');
  if (!value.firstName || value.firstName.length > 100) errors.push('--first-name must be 1 to 100 characters');
  if (!value.lastName || value.lastName.length > 100) errors.push('--last-name must be 1 to 100 characters');
  if (value.password.length < PASSWORD_MIN_LENGTH)
    errors.push(`the password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (Buffer.byteLength(value.password, 'utf8') > PASSWORD_MAX_BYTES)
    errors.push(`the password must be at most ${PASSWORD_MAX_BYTES} bytes (bcrypt ignores the rest)`);
  return errors.length ? { ok: false, errors } : { ok: true, value };
}
