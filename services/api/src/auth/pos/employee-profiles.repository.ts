import { Injectable } from '@nestjs/common';
import type { EmployeeProfile, User } from '@chefcloud/db';
import { PrismaService } from '../../database/prisma.service';

export type ProfileWithUser = EmployeeProfile & { user: User };

/** Prisma access to `employee_profiles` (POS PINs and badges). */
@Injectable()
export class EmployeeProfilesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The profile of `employeeCode` in the org that owns `branchId` (codes are unique per org). */
  async findByBranchAndCode(branchId: string, employeeCode: string): Promise<ProfileWithUser | null> {
    const branch = await this.prisma.client.branch.findUnique({ where: { id: branchId }, select: { orgId: true } });
    if (!branch) return null;
    return this.prisma.client.employeeProfile.findUnique({
      where: { orgId_employeeCode: { orgId: branch.orgId, employeeCode } },
      include: { user: true },
    });
  }

  findByBadgeHash(badgeHash: string): Promise<ProfileWithUser | null> {
    return this.prisma.client.employeeProfile.findUnique({ where: { badgeHash }, include: { user: true } });
  }

  /** Set a user's badge, creating their profile (with a generated employee code) if needed. */
  setBadge(user: Pick<User, 'id' | 'orgId'>, badgeHash: string, newEmployeeCode: string): Promise<EmployeeProfile> {
    return this.prisma.client.employeeProfile.upsert({
      where: { userId: user.id },
      update: { badgeHash },
      create: { userId: user.id, orgId: user.orgId, badgeHash, employeeCode: newEmployeeCode },
    });
  }
}
