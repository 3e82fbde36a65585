import bcrypt from 'bcrypt';
import type { PrismaClient } from '../generated/prisma/client';
import type { OwnerInput } from './owner-input';

export interface CreateOwnerResult {
  org: { id: string; slug: string; created: boolean };
  user: { id: string; email: string; created: boolean };
}

/** The email belongs to a user of another org: creating the owner would move or duplicate it. */
export class OwnerConflictError extends Error {}

/**
 * Create the org (by slug) and its L5 owner (by email) unless they exist, in one transaction.
 * Idempotent: a second run with the same details changes nothing (an existing owner keeps its
 * password). Prisma fills the ids and `updated_at` that the tables have no database default for.
 */
export async function createOwner(
  prisma: PrismaClient,
  input: OwnerInput,
  options: { bcryptCost: number },
): Promise<CreateOwnerResult> {
  return prisma.$transaction(async (tx) => {
    const existingOrg = await tx.org.findUnique({ where: { slug: input.orgSlug } });
    const org = existingOrg ?? (await tx.org.create({ data: { name: input.orgName, slug: input.orgSlug } }));
    const existingUser = await tx.user.findUnique({ where: { email: input.email } });
    if (existingUser) {
      if (existingUser.orgId !== org.id)
        throw new OwnerConflictError(`${input.email} already belongs to another org; nothing was changed`);
      return {
        org: { id: org.id, slug: org.slug, created: !existingOrg },
        user: { id: existingUser.id, email: existingUser.email, created: false },
      };
    }
    const passwordHash = await bcrypt.hash(input.password, options.bcryptCost);
    const user = await tx.user.create({
      data: {
        orgId: org.id,
        email: input.email,
        passwordHash,
        firstName: input.firstName,
        lastName: input.lastName,
        roleLevel: 'L5',
      },
    });
    return {
      org: { id: org.id, slug: org.slug, created: !existingOrg },
      user: { id: user.id, email: user.email, created: true },
    };
  });
}
