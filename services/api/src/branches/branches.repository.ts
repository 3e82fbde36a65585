import { Injectable } from '@nestjs/common';
import type { Branch } from '@chefcloud/db';
import { PrismaService } from '../database/prisma.service';

/** Prisma access to `branches`. */
@Injectable()
export class BranchesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One page of the org's branches by name, and how many it has. */
  async listForOrg(orgId: string, skip: number, take: number): Promise<{ items: Branch[]; total: number }> {
    const where = { orgId };
    const [items, total] = await Promise.all([
      this.prisma.client.branch.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], skip, take }),
      this.prisma.client.branch.count({ where }),
    ]);
    return { items, total };
  }

  findById(id: string): Promise<Branch | null> {
    return this.prisma.client.branch.findUnique({ where: { id } });
  }
}
