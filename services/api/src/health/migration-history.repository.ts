import { Injectable } from '@nestjs/common';
import type { AppliedMigration } from '@chefcloud/db';
import { PrismaService } from '../database/prisma.service';

/** Read access to Prisma's migration history (`_prisma_migrations`). */
@Injectable()
export class MigrationHistoryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Every migration recorded as applied, failed or rolled back. Throws Prisma's missing-table
   * error when the database was never migrated.
   */
  async findApplied(): Promise<AppliedMigration[]> {
    const rows = await this.prisma.client.$queryRaw<
      { name: string; finished_at: Date | null; rolled_back_at: Date | null }[]
    >`SELECT migration_name AS name, finished_at, rolled_back_at FROM _prisma_migrations`;
    return rows.map((r) => ({ name: r.name, finishedAt: r.finished_at, rolledBackAt: r.rolled_back_at }));
  }
}
