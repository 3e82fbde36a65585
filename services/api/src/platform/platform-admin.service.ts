import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.types';
import { Clock } from '../common/clock/clock';
import { AppException } from '../common/errors/app-exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OrgsRepository } from './orgs.repository';

/** How long the platform org's id (or its absence) is reused before it is looked up again. */
export const PLATFORM_ORG_LOOKUP_TTL_MS = 60_000;

/**
 * Who may manage what affects every org (global maintenance windows, global feature flags):
 * the L5 users of the platform operator's org, named by PLATFORM_ADMIN_ORG_SLUG. Without that
 * setting nobody can, through the API. The org's id is looked up at most once a minute, so an
 * org created, deleted or re-created under that slug is seen within PLATFORM_ORG_LOOKUP_TTL_MS.
 */
@Injectable()
export class PlatformAdminService {
  private cached?: { orgId: string | null; expiresAt: number };

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'changeControl'>,
    private readonly orgs: OrgsRepository,
    private readonly clock: Clock,
  ) {}

  async isPlatformAdmin(user: AuthUser): Promise<boolean> {
    if (user.roleLevel !== 'L5' || !this.config.changeControl.platformAdminOrgSlug) return false;
    return user.orgId === (await this.platformOrgId());
  }

  /** Whether `orgId` is the platform operator's org (any role). */
  async isPlatformOrg(orgId: string): Promise<boolean> {
    if (!this.config.changeControl.platformAdminOrgSlug) return false;
    return orgId === (await this.platformOrgId());
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
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.expiresAt) return this.cached.orgId;
    const slug = this.config.changeControl.platformAdminOrgSlug;
    const orgId = slug ? await this.orgs.findOrgIdBySlug(slug) : null;
    this.cached = { orgId, expiresAt: now + PLATFORM_ORG_LOOKUP_TTL_MS };
    return orgId;
  }
}
