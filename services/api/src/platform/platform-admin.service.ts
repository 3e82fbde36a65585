import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PrismaService } from '../database/prisma.service';
import type { AuthUser } from '../auth/auth.types';
import { AppException } from '../common/errors/app-exception';

const LOOKUP_TTL_MS = 60_000;

/**
 * Who may manage what affects every org (global maintenance windows, global feature flags):
 * the L5 users of the platform operator's org, named by PLATFORM_ADMIN_ORG_SLUG. Without that
 * setting nobody can, through the API.
 */
@Injectable()
export class PlatformAdminService {
  private cached?: { orgId: string | null; at: number };

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'changeControl'>,
    private readonly prisma: PrismaService,
  ) {}

  async isPlatformAdmin(user: AuthUser): Promise<boolean> {
    if (user.roleLevel !== 'L5' || !this.config.changeControl.platformAdminOrgSlug) return false;
    return user.orgId === (await this.platformOrgId());
  }

  async assertPlatformAdmin(user: AuthUser, what: string): Promise<void> {
    if (!(await this.isPlatformAdmin(user))) {
      throw new AppException(
        'PLATFORM_ADMIN_REQUIRED',
        `Only L5 users of the platform org (PLATFORM_ADMIN_ORG_SLUG) may ${what}`,
      );
    }
  }

  private async platformOrgId(): Promise<string | null> {
    const now = Date.now();
    if (this.cached && (this.cached.orgId !== null || now - this.cached.at < LOOKUP_TTL_MS)) return this.cached.orgId;
    const slug = this.config.changeControl.platformAdminOrgSlug;
    const org = slug ? await this.prisma.client.org.findUnique({ where: { slug }, select: { id: true } }) : null;
    this.cached = { orgId: org?.id ?? null, at: now };
    return this.cached.orgId;
  }
}
