import { Injectable } from '@nestjs/common';
import { Prisma, type FeatureFlag, type FlagAction, type FlagAudit } from '@chefcloud/db';
import type { KeysetPosition } from '../common/pagination/keyset-cursor';
import { PrismaService } from '../database/prisma.service';

type Tx = Prisma.TransactionClient;

/** An audit row with the acting user's name and email. */
export type AuditWithUser = FlagAudit & {
  user: { id: string; email: string; firstName: string; lastName: string } | null;
};

/** What an audit row records of a flag, before and after a change. */
export function flagSnapshot(flag: FeatureFlag): Prisma.InputJsonObject {
  return {
    key: flag.key,
    orgId: flag.orgId,
    description: flag.description,
    active: flag.active,
    rolloutPct: flag.rolloutPct,
    scopes: (flag.scopes ?? null) as Prisma.InputJsonValue,
  };
}

/** Who changed a flag, and why (an audit row's author and reason). */
export interface AuditInput {
  userId: string;
  reason?: string;
}

function appendAudit(
  tx: Tx,
  action: FlagAction,
  before: FeatureFlag | null,
  after: FeatureFlag,
  audit: AuditInput,
): Promise<FlagAudit> {
  return tx.flagAudit.create({
    data: {
      orgId: after.orgId,
      flagKey: after.key,
      userId: audit.userId,
      action,
      before: before ? flagSnapshot(before) : Prisma.DbNull,
      after: flagSnapshot(after),
      reason: audit.reason ?? null,
    },
  });
}

/** Prisma access to `feature_flags` and `flag_audits`. */
@Injectable()
export class FeatureFlagsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The flag `key` as the org sees it: the org's own, else the global one. */
  async findEffective(orgId: string, key: string): Promise<FeatureFlag | null> {
    const rows = await this.prisma.client.featureFlag.findMany({ where: { key, OR: [{ orgId }, { orgId: null }] } });
    return rows.find((f) => f.orgId === orgId) ?? rows.find((f) => f.orgId === null) ?? null;
  }

  /** The flag `key` of exactly this org (null: the global one), if it exists. */
  findExact(orgId: string | null, key: string): Promise<FeatureFlag | null> {
    return this.prisma.client.featureFlag.findFirst({ where: { orgId, key } });
  }

  /** The org's flags plus global flags it does not override, by key. */
  async listEffective(orgId: string): Promise<FeatureFlag[]> {
    const rows = await this.prisma.client.featureFlag.findMany({
      where: { OR: [{ orgId }, { orgId: null }] },
      orderBy: [{ key: 'asc' }],
    });
    const own = new Set(rows.filter((f) => f.orgId === orgId).map((f) => f.key));
    return rows.filter((f) => f.orgId === orgId || !own.has(f.key));
  }

  /** Create a flag and its CREATE audit row, in one transaction: either both are written or neither. */
  async createWithAudit(data: Prisma.FeatureFlagUncheckedCreateInput, audit: AuditInput): Promise<FeatureFlag> {
    return this.prisma.transaction(async (tx) => {
      const created = await tx.featureFlag.create({ data });
      await appendAudit(tx, 'CREATE', null, created, audit);
      return created;
    });
  }

  /**
   * Lock the flag, apply the change `change(before)` computes from its current row, and append
   * the audit row, in one transaction: either both are written or neither.
   */
  async updateWithAudit(
    flagId: string,
    action: Exclude<FlagAction, 'CREATE'>,
    audit: AuditInput,
    change: (before: FeatureFlag) => Prisma.FeatureFlagUncheckedUpdateInput,
  ): Promise<FeatureFlag> {
    return this.prisma.transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM feature_flags WHERE id = ${flagId} FOR UPDATE`;
      const before = await tx.featureFlag.findUniqueOrThrow({ where: { id: flagId } });
      const after = await tx.featureFlag.update({ where: { id: flagId }, data: change(before) });
      await appendAudit(tx, action, before, after, audit);
      return after;
    });
  }

  /**
   * Up to `take` audit rows of the flag after `after` in (createdAt DESC, id DESC) order; from the
   * newest when `after` is null. Keyset: `(created_at, id) < (after)`, written as `created_at <=
   * after.at AND NOT (created_at = after.at AND id >= after.id)` so flag_audits(org_id, flag_key,
   * created_at, id) serves it as an index range that starts at the position (no OFFSET, no count).
   */
  auditsAfter(orgId: string | null, key: string, after: KeysetPosition | null, take: number): Promise<AuditWithUser[]> {
    return this.prisma.client.flagAudit.findMany({
      where: {
        orgId,
        flagKey: key,
        ...(after ? { createdAt: { lte: after.at }, NOT: { createdAt: after.at, id: { gte: after.id } } } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      include: { user: { select: { id: true, email: true, firstName: true, lastName: true } } },
    });
  }

  async audits(
    orgId: string | null,
    key: string,
    skip: number,
    take: number,
  ): Promise<{ items: AuditWithUser[]; total: number }> {
    const where: Prisma.FlagAuditWhereInput = { orgId, flagKey: key };
    const [items, total] = await Promise.all([
      this.prisma.client.flagAudit.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip,
        take,
        include: { user: { select: { id: true, email: true, firstName: true, lastName: true } } },
      }),
      this.prisma.client.flagAudit.count({ where }),
    ]);
    return { items, total };
  }
}
