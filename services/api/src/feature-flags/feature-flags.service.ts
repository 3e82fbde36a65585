import { Inject, Injectable, Logger } from '@nestjs/common';
import { isMissingTableError, Prisma, prismaErrorCode, type FeatureFlag } from '@chefcloud/db';
import type { AuthUser } from '../auth/auth.types';
import { AppException } from '../common/errors/app-exception';
import {
  keysetPageOf,
  pageOf,
  pagingOf,
  type KeysetPage,
  type KeysetPageQueryDto,
  type Page,
  type PageQueryDto,
} from '../common/pagination/pagination.dto';
import { ExpiringMap } from '../common/cache/expiring-map';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { PlatformAdminService } from '../platform/platform-admin.service';
import {
  FLAG_KEY_PATTERN,
  toAuditDto,
  toFlagDto,
  type CreateFeatureFlagDto,
  type FeatureFlagDto,
  type FlagAuditDto,
  type FlagScopesDto,
  type KilledFlagDto,
  type UpdateFeatureFlagDto,
} from './dto/feature-flag.dto';
import { FeatureFlagsRepository, type AuditWithUser } from './feature-flags.repository';
import { evaluateFlag, type Evaluation, type EvaluationSubject } from './flag-evaluator';

/** Flags per page of GET /ops/flags unless `pageSize` says otherwise. */
export const FLAG_PAGE_SIZE = 100;

/** The platform operator's identity and words removed from an audit row (shown to other orgs). */
function redactAudit(audit: FlagAuditDto): FlagAuditDto {
  return { ...audit, userId: null, user: null, reason: null, redacted: true };
}

const scopesValue = (
  scopes: FlagScopesDto | null | undefined,
): Prisma.InputJsonValue | typeof Prisma.DbNull | undefined =>
  scopes === undefined
    ? undefined
    : scopes === null
      ? Prisma.DbNull
      : (JSON.parse(JSON.stringify(scopes)) as Prisma.InputJsonValue);

/**
 * Feature flags per org (key unique per org) plus global flags (platform admins), every change
 * audited in the same transaction. Evaluation (`evaluate`, `isEnabled`) never throws and reads
 * through a per-instance cache of FEATURE_FLAG_CACHE_TTL_MS (default 5 s), cleared by changes
 * made on this instance.
 */
@Injectable()
export class FeatureFlagsService {
  private readonly logger = new Logger('FeatureFlags');
  /** Flag lookups per org and key, shared by concurrent evaluations (the promise is cached). */
  private readonly cache = new ExpiringMap<string, Promise<FeatureFlag | null>>(10_000);
  private readonly ttlMs: number;

  constructor(
    private readonly flags: FeatureFlagsRepository,
    private readonly platform: PlatformAdminService,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'changeControl'>,
    private readonly metrics: MetricsService,
  ) {
    this.ttlMs = config.changeControl.flagCacheTtlMs;
  }

  /**
   * POST /ops/flags: create the flag, or — when the key already exists in the same scope (the
   * caller's org, or global) — change only the fields the body gives, audited as UPDATE. Operators
   * re-POST a key to stage a rollout (`{key, rolloutPct: 50}`); omitted fields keep their values.
   */
  async createOrUpdate(user: AuthUser, dto: CreateFeatureFlagDto): Promise<{ flag: FeatureFlagDto; created: boolean }> {
    if (dto.global) await this.platform.assertPlatformAdmin(user, 'create global feature flags');
    const orgId = dto.global ? null : user.orgId;
    const existing = await this.flags.findExact(orgId, dto.key);
    if (existing) return { flag: await this.updateExisting(user, existing, dto), created: false };
    try {
      return { flag: await this.create(user, dto), created: true };
    } catch (error) {
      // A concurrent POST of the same key created it between our read and our insert (found by
      // the concurrency suite: 5 of 50 parallel upserts were 409): this one is then an update.
      if (prismaErrorCode(error) !== 'P2002') throw error;
      const winner = await this.flags.findExact(orgId, dto.key);
      if (!winner) throw error;
      return { flag: await this.updateExisting(user, winner, dto), created: false };
    }
  }

  /** The UPDATE half of the upsert: only the fields the body gives. */
  private updateExisting(user: AuthUser, existing: FeatureFlag, dto: CreateFeatureFlagDto): Promise<FeatureFlagDto> {
    return this.change(user, existing, 'UPDATE', dto.reason, {
      description: dto.description,
      active: dto.active,
      rolloutPct: dto.rolloutPct,
      scopes: scopesValue(dto.scopes),
    });
  }

  private async create(user: AuthUser, dto: CreateFeatureFlagDto): Promise<FeatureFlagDto> {
    const flag = await this.flags.createWithAudit(
      {
        key: dto.key,
        orgId: dto.global ? null : user.orgId,
        description: dto.description ?? null,
        active: dto.active ?? false,
        rolloutPct: dto.rolloutPct ?? 100,
        scopes: scopesValue(dto.scopes),
        createdById: user.userId,
        updatedById: user.userId,
      },
      { userId: user.userId, reason: dto.reason },
    );
    this.invalidate();
    return toFlagDto(flag);
  }

  /** One page of the org's flags and the global flags it does not override, by key. */
  async list(user: AuthUser, query: PageQueryDto): Promise<Page<FeatureFlagDto>> {
    const { page, pageSize, skip } = pageOf(query, FLAG_PAGE_SIZE);
    const all = await this.flags.listEffective(user.orgId);
    const platformOrg = await this.platform.isPlatformOrg(user.orgId);
    const items = all.slice(skip, skip + pageSize).map((f) => this.shown(f, platformOrg));
    return { items, page, pageSize, total: all.length };
  }

  async get(user: AuthUser, key: string): Promise<FeatureFlagDto> {
    return this.shown(await this.visible(user, key), await this.platform.isPlatformOrg(user.orgId));
  }

  /** A global flag shown to another org than the platform operator's does not name who changed it. */
  private shown(flag: FeatureFlag, viewerIsPlatformOrg: boolean): FeatureFlagDto {
    const dto = toFlagDto(flag);
    return flag.orgId === null && !viewerIsPlatformOrg ? { ...dto, createdById: null, updatedById: null } : dto;
  }

  async update(user: AuthUser, key: string, dto: UpdateFeatureFlagDto): Promise<FeatureFlagDto> {
    const current = await this.changeable(user, key);
    return this.change(user, current, 'UPDATE', dto.reason, {
      description: dto.description,
      rolloutPct: dto.rolloutPct,
      scopes: scopesValue(dto.scopes),
    });
  }

  async toggle(user: AuthUser, key: string, reason?: string): Promise<FeatureFlagDto> {
    const current = await this.changeable(user, key);
    return this.change(user, current, 'TOGGLE', reason, (before) => ({ active: !before.active }));
  }

  /** The kill switch: off for everyone (active=false, rolloutPct=0) and the KILL audit, in one transaction. */
  async kill(user: AuthUser, key: string, reason?: string): Promise<KilledFlagDto> {
    const current = await this.changeable(user, key);
    const flag = await this.change(user, current, 'KILL', reason, { active: false, rolloutPct: 0 });
    return { message: `Feature flag ${flag.key} has been killed`, ...flag };
  }

  /** The flag's audit trail, newest first: by `page` (with a total) or by keyset `cursor` (none counted). */
  async audit(
    user: AuthUser,
    key: string,
    query: KeysetPageQueryDto,
  ): Promise<Page<FlagAuditDto> | KeysetPage<FlagAuditDto>> {
    const paging = pagingOf(query, 'flag-audit');
    const flag = await this.visible(user, key);
    // A global flag's trail shown to another org: what changed and when, but not who on the
    // platform team did it nor the free-text reason they gave (internal to the operator).
    const redact = flag.orgId === null && !(await this.platform.isPlatformOrg(user.orgId));
    const dto = (a: AuditWithUser) => (redact ? redactAudit(toAuditDto(a)) : toAuditDto(a));
    if (paging.mode === 'keyset') {
      const rows = await this.flags.auditsAfter(flag.orgId, flag.key, paging.after, paging.pageSize + 1);
      return keysetPageOf(rows, paging.pageSize, 'flag-audit', (a) => a.createdAt, dto);
    }
    const { page, pageSize, skip } = paging;
    const { items, total } = await this.flags.audits(flag.orgId, flag.key, skip, pageSize);
    return { items: items.map(dto), page, pageSize, total };
  }

  /**
   * Evaluate `key` for a user. Never throws: a missing flag, a missing table or any error gives
   * enabled=false with a reason. Counted by reason in chefcloud_flag_evaluations_total.
   */
  async evaluate(key: string, subject: EvaluationSubject & { orgId: string }): Promise<Evaluation> {
    const evaluation = await this.resolve(key, subject);
    this.metrics.flagEvaluated(key, evaluation.reason);
    return evaluation;
  }

  private async resolve(key: string, subject: EvaluationSubject & { orgId: string }): Promise<Evaluation> {
    if (!FLAG_KEY_PATTERN.test(key)) return { key, enabled: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' };
    try {
      const flag = await this.cachedFlag(subject.orgId, key);
      if (!flag) return { key, enabled: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' };
      return evaluateFlag(flag, subject);
    } catch (error) {
      if (isMissingTableError(error)) return { key, enabled: false, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' };
      this.logger.warn(`evaluating flag ${key} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { key, enabled: false, reason: 'ERROR', errorCode: 'GENERAL' };
    }
  }

  /** For other modules: is `key` on for this user? (false on any error) */
  async isEnabled(key: string, user: Pick<AuthUser, 'userId' | 'orgId' | 'roleLevel' | 'branchId'>): Promise<boolean> {
    return (await this.evaluate(key, user)).enabled;
  }

  invalidate(): void {
    this.cache.clear();
  }

  private cachedFlag(orgId: string, key: string): Promise<FeatureFlag | null> {
    const cacheKey = `${orgId}\0${key}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const flag = this.flags.findEffective(orgId, key);
    if (this.ttlMs > 0) {
      this.cache.set(cacheKey, flag, Date.now() + this.ttlMs);
      flag.catch(() => this.cache.delete(cacheKey));
    }
    return flag;
  }

  private async visible(user: AuthUser, key: string): Promise<FeatureFlag> {
    const flag = await this.flags.findEffective(user.orgId, key);
    if (!flag) throw new AppException('NOT_FOUND', `Feature flag ${key} not found`);
    return flag;
  }

  private async changeable(user: AuthUser, key: string): Promise<FeatureFlag> {
    const flag = await this.visible(user, key);
    if (flag.orgId === null) await this.platform.assertPlatformAdmin(user, 'change global feature flags');
    return flag;
  }

  private async change(
    user: AuthUser,
    current: FeatureFlag,
    action: 'UPDATE' | 'TOGGLE' | 'KILL',
    reason: string | undefined,
    data: Prisma.FeatureFlagUncheckedUpdateInput | ((before: FeatureFlag) => Prisma.FeatureFlagUncheckedUpdateInput),
  ): Promise<FeatureFlagDto> {
    const flag = await this.flags.updateWithAudit(current.id, action, { userId: user.userId, reason }, (before) => ({
      ...(typeof data === 'function' ? data(before) : data),
      updatedById: user.userId,
    }));
    this.invalidate();
    return toFlagDto(flag);
  }
}
