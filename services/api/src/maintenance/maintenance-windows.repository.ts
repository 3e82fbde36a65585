import { Injectable } from '@nestjs/common';
import { Prisma, type MaintenanceWindow } from '@chefcloud/db';
import type { KeysetPosition } from '../common/pagination/keyset-cursor';
import { PrismaService } from '../database/prisma.service';

/** Prisma access to `maintenance_windows`. `orgId` null means a global window (every org). */
@Injectable()
export class MaintenanceWindowsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Windows of the org (and global ones) that have not ended at `from` and start by `until`,
   * ending last first. ALL of them: no `take`, because a page would let an org hide a global
   * blocking window behind its own non-blocking ones (the number is bounded by the open-window
   * cap per org, see createCapped).
   */
  findOverlapping(orgId: string | null, from: Date, until: Date): Promise<MaintenanceWindow[]> {
    return this.prisma.client.maintenanceWindow.findMany({
      where: {
        OR: orgId ? [{ orgId }, { orgId: null }] : [{ orgId: null }],
        endsAt: { gt: from },
        startsAt: { lte: until },
      },
      orderBy: [{ endsAt: 'desc' }, { id: 'asc' }],
    });
  }

  findById(id: string): Promise<MaintenanceWindow | null> {
    return this.prisma.client.maintenanceWindow.findUnique({ where: { id } });
  }

  /**
   * Create a window unless its owner (an org, or null: global) already has `cap` windows not
   * ended at `now` ('cap' then). Counting and inserting happen under a per-owner advisory lock
   * in one transaction, so parallel creates cannot overshoot the cap.
   */
  createCapped(
    data: Prisma.MaintenanceWindowUncheckedCreateInput & { orgId: string | null },
    cap: number,
    now: Date,
  ): Promise<MaintenanceWindow | 'cap'> {
    return this.prisma.transaction(async (tx) => {
      if (data.endsAt > now && (await this.openWindowsLocked(tx, data.orgId, now)) >= cap) return 'cap';
      return tx.maintenanceWindow.create({ data });
    });
  }

  /**
   * Compare-and-set: change the window only if its times are still `expected` (what the caller
   * validated against); 'conflict' when another change got there first. Reopening an ended
   * window counts against the owner's cap like a create ('cap').
   */
  updateIfUnchanged(
    window: MaintenanceWindow,
    data: { startsAt?: Date; endsAt?: Date; message?: string | null; blockWrites?: boolean },
    cap: number,
    now: Date,
  ): Promise<MaintenanceWindow | 'conflict' | 'cap'> {
    return this.prisma.transaction(async (tx) => {
      const reopens = window.endsAt <= now && data.endsAt !== undefined && data.endsAt > now;
      if (reopens && (await this.openWindowsLocked(tx, window.orgId, now)) >= cap) return 'cap';
      const { count } = await tx.maintenanceWindow.updateMany({
        where: { id: window.id, startsAt: window.startsAt, endsAt: window.endsAt },
        data,
      });
      if (count === 0) return 'conflict';
      return tx.maintenanceWindow.findUniqueOrThrow({ where: { id: window.id } });
    });
  }

  /** Windows of the owner not ended at `now`, counted under the owner's transaction-scoped advisory lock. */
  private async openWindowsLocked(tx: Prisma.TransactionClient, orgId: string | null, now: Date): Promise<number> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`maintenance-windows:${orgId ?? 'global'}`}, 0))`;
    return tx.maintenanceWindow.count({ where: { orgId, endsAt: { gt: now } } });
  }

  /** The org's and the global windows, newest first, optionally only those overlapping [from, to). */
  async list(
    orgId: string,
    range: { from?: Date; to?: Date },
    skip: number,
    take: number,
  ): Promise<{ items: MaintenanceWindow[]; total: number }> {
    const where: Prisma.MaintenanceWindowWhereInput = {
      OR: [{ orgId }, { orgId: null }],
      ...(range.from ? { endsAt: { gt: range.from } } : {}),
      ...(range.to ? { startsAt: { lt: range.to } } : {}),
    };
    const [items, total] = await Promise.all([
      this.prisma.client.maintenanceWindow.findMany({
        where,
        orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
        skip,
        take,
      }),
      this.prisma.client.maintenanceWindow.count({ where }),
    ]);
    return { items, total };
  }

  /**
   * Up to `take` of the org's and the global windows after `after` in (startsAt DESC, id DESC)
   * order (from the newest when null), optionally only those overlapping [from, to). Keyset: one
   * `(starts_at, id) < (after)` range per owner, each read in order from the
   * (org_id, starts_at, ends_at) index with its own LIMIT, and the two merged by PostgreSQL: at
   * most 2 × take rows are read however deep the page (an `org_id = $1 OR org_id IS NULL`
   * filter would read and sort every window of both owners instead).
   */
  listAfter(
    orgId: string,
    range: { from?: Date; to?: Date },
    after: KeysetPosition | null,
    take: number,
  ): Promise<MaintenanceWindow[]> {
    const conditions = [
      after ? Prisma.sql`(starts_at, id) < (${after.at}::timestamptz, ${after.id}::text)` : null,
      range.from ? Prisma.sql`ends_at > ${range.from}::timestamptz` : null,
      range.to ? Prisma.sql`starts_at < ${range.to}::timestamptz` : null,
    ].filter((c): c is Prisma.Sql => c !== null);
    const and = conditions.length ? Prisma.sql` AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
    const columns = Prisma.sql`id, org_id AS "orgId", starts_at AS "startsAt", ends_at AS "endsAt", message,
      block_writes AS "blockWrites", created_by_id AS "createdById", created_at AS "createdAt", updated_at AS "updatedAt"`;
    return this.prisma.client.$queryRaw<MaintenanceWindow[]>`
      SELECT * FROM (
        (SELECT ${columns} FROM maintenance_windows WHERE org_id = ${orgId}${and}
         ORDER BY starts_at DESC, id DESC LIMIT ${take})
        UNION ALL
        (SELECT ${columns} FROM maintenance_windows WHERE org_id IS NULL${and}
         ORDER BY starts_at DESC, id DESC LIMIT ${take})
      ) w
      ORDER BY "startsAt" DESC, id DESC
      LIMIT ${take}`;
  }
}
