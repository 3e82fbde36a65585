import { Injectable } from '@nestjs/common';
import type { User } from '@chefcloud/db';
import { PrismaService } from '../database/prisma.service';

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
}
