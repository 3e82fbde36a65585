import { Injectable, Logger } from '@nestjs/common';
import { isMissingColumnError, type Branch, type EmployeeProfile, type Org, type User } from '@chefcloud/db';
import { PrismaService } from '../database/prisma.service';

const MISSING_COLUMN_WARNING_INTERVAL_MS = 60_000;

/** How many of the most recently changed users' hashes tell the typical stored bcrypt cost. */
const HASH_COST_SAMPLE = 200;

/**
 * Prisma access to users. Emails are stored and looked up lower-cased.
 *
 * Sign-in must keep working on a database one migration behind this release (the lesson of the
 * original outage): when `users.job_role` does not exist yet, users are read without it
 * (jobRole null) and a warning is logged at most once a minute.
 */
@Injectable()
export class UsersRepository {
  private readonly logger = new Logger('Users');
  private lastWarningAt = 0;

  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string): Promise<User | null> {
    const where = { email: email.trim().toLowerCase() };
    return this.withoutJobRoleIfMissing(
      () => this.prisma.client.user.findUnique({ where }),
      () => this.prisma.client.user.findUnique({ where, omit: { jobRole: true } }),
    );
  }

  findById(id: string): Promise<User | null> {
    return this.withoutJobRoleIfMissing(
      () => this.prisma.client.user.findUnique({ where: { id } }),
      () => this.prisma.client.user.findUnique({ where: { id }, omit: { jobRole: true } }),
    );
  }

  /** The user with their org, branch and in-store profile (for GET /me). */
  findWithOrg(
    id: string,
  ): Promise<(User & { org: Org; branch: Branch | null; employeeProfile: EmployeeProfile | null }) | null> {
    return this.prisma.client.user.findUnique({
      where: { id },
      include: { org: true, branch: true, employeeProfile: true },
    });
  }

  private async withoutJobRoleIfMissing(
    full: () => Promise<User | null>,
    reduced: () => Promise<Omit<User, 'jobRole'> | null>,
  ): Promise<User | null> {
    try {
      return await full();
    } catch (error) {
      if (!isMissingColumnError(error, 'job_role')) throw error;
      const now = Date.now();
      if (now - this.lastWarningAt >= MISSING_COLUMN_WARNING_INTERVAL_MS) {
        this.lastWarningAt = now;
        this.logger.warn('users.job_role does not exist - reading users without it (run prisma migrate deploy)');
      }
      const user = await reduced();
      return user && { ...user, jobRole: null };
    }
  }

  /** The bcrypt costs of a bounded sample of stored hashes (`$2b$12$...` → 12). */
  async sampleHashCosts(): Promise<number[]> {
    const rows = await this.prisma.client.user.findMany({
      select: { passwordHash: true },
      orderBy: { updatedAt: 'desc' },
      take: HASH_COST_SAMPLE,
    });
    return rows.map((r) => Number(/^\$2[abxy]?\$(\d{2})\$/.exec(r.passwordHash)?.[1])).filter(Number.isFinite);
  }

  /** Replace the hash only if it is still `previousHash` (a password changed meanwhile wins). */
  async replacePasswordHash(id: string, previousHash: string, nextHash: string): Promise<boolean> {
    const { count } = await this.prisma.client.user.updateMany({
      where: { id, passwordHash: previousHash },
      data: { passwordHash: nextHash },
    });
    return count === 1;
  }
}
