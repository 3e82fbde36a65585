import { Injectable } from '@nestjs/common';
import type { MaintenanceWindow, Prisma } from '@chefcloud/db';
import { PrismaService } from '../database/prisma.service';

/** Prisma access to `maintenance_windows`. `orgId` null means a global window (every org). */
@Injectable()
export class MaintenanceWindowsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Windows of the org (and global ones) that have not ended at `from` and start by `until`. */
  findOverlapping(orgId: string | null, from: Date, until: Date): Promise<MaintenanceWindow[]> {
    return this.prisma.client.maintenanceWindow.findMany({
      where: {
        OR: orgId ? [{ orgId }, { orgId: null }] : [{ orgId: null }],
        endsAt: { gt: from },
        startsAt: { lte: until },
      },
      orderBy: [{ endsAt: 'desc' }, { id: 'asc' }],
      take: 100,
    });
  }

  findById(id: string): Promise<MaintenanceWindow | null> {
    return this.prisma.client.maintenanceWindow.findUnique({ where: { id } });
  }

  create(data: Prisma.MaintenanceWindowUncheckedCreateInput): Promise<MaintenanceWindow> {
    return this.prisma.client.maintenanceWindow.create({ data });
  }

  update(id: string, data: Prisma.MaintenanceWindowUncheckedUpdateInput): Promise<MaintenanceWindow> {
    return this.prisma.client.maintenanceWindow.update({ where: { id }, data });
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
}
