import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RoleLevel, Session } from '@chefcloud/db';
import { PrismaService } from '../../database/prisma.service';

/** A session joined with the user fields needed to authenticate a request. */
export interface SessionSnapshot {
  id: string;
  userId: string;
  jti: string;
  platform: string;
  expiresAt: Date;
  revokedAt: Date | null;
  user: {
    email: string;
    orgId: string;
    branchId: string | null;
    roleLevel: RoleLevel;
    isActive: boolean;
    sessionVersion: number;
  };
}

export interface NewSession {
  userId: string;
  orgId: string;
  platform: string;
  expiresAt: Date;
  ip?: string;
  userAgent?: string;
}

/** Prisma access to `sessions` (one row per login). */
@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(input: NewSession): Promise<Session> {
    return this.prisma.client.session.create({
      data: { ...input, jti: randomUUID(), userAgent: input.userAgent?.slice(0, 512), ip: input.ip?.slice(0, 64) },
    });
  }

  findSnapshot(id: string): Promise<SessionSnapshot | null> {
    return this.prisma.client.session.findUnique({
      where: { id },
      select: {
        id: true,
        userId: true,
        jti: true,
        platform: true,
        expiresAt: true,
        revokedAt: true,
        user: {
          select: { email: true, orgId: true, branchId: true, roleLevel: true, isActive: true, sessionVersion: true },
        },
      },
    });
  }

  /** Revoke one session; false when it was already revoked. */
  async revoke(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.client.session.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: now },
    });
    return count > 0;
  }

  /** Revoke every session of a user and bump session_version, so every token issued so far is stale. */
  async revokeAllForUser(userId: string, now: Date): Promise<number> {
    const [, revoked] = await this.prisma.client.$transaction([
      // Only the id back: reading every column would fail on a database behind this release.
      this.prisma.client.user.update({
        where: { id: userId },
        data: { sessionVersion: { increment: 1 } },
        select: { id: true },
      }),
      this.prisma.client.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } }),
    ]);
    return revoked.count;
  }

  listActive(userId: string, now: Date): Promise<Session[]> {
    return this.prisma.client.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
  }
}
