import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** Prisma access to `orgs`. */
@Injectable()
export class OrgsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The id of the org with this slug, or null. */
  async findOrgIdBySlug(slug: string): Promise<string | null> {
    const org = await this.prisma.client.org.findUnique({ where: { slug }, select: { id: true } });
    return org?.id ?? null;
  }
}
