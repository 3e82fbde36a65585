import { Injectable } from '@nestjs/common';
import type { User } from '@chefcloud/db';
import { PrismaService } from '../database/prisma.service';

/** How many of the most recently changed users' hashes tell the typical stored bcrypt cost. */
const HASH_COST_SAMPLE = 200;

/** Prisma access to users. Emails are stored and looked up lower-cased. */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.client.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  }

  findById(id: string): Promise<User | null> {
    return this.prisma.client.user.findUnique({ where: { id } });
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
