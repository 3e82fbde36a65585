import { Inject, Injectable, Logger } from '@nestjs/common';
import { isMissingTableError, type MaintenanceWindow } from '@chefcloud/db';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';

export interface BlockDecision {
  blocked: boolean;
  /** The blocking window (the one ending last when several overlap). */
  window?: MaintenanceWindow;
  /** True when the check failed open (maintenance_windows missing): nothing was checked. */
  failOpen?: true;
}

export const MISSING_TABLE_WARNING = 'maintenance_windows table does not exist - failing open (no maintenance check)';
const WARNING_INTERVAL_MS = 60_000;
const MAX_CACHED_ORGS = 10_000;

interface CacheEntry {
  fetchedAt: number;
  /** Windows not ended at fetchedAt that start before fetchedAt + TTL; 'missing' when the table does not exist. */
  windows: Promise<MaintenanceWindow[] | 'missing'>;
}

/**
 * The maintenance check behind the write block and the banner endpoint.
 *
 * It must never take the API down (the outage this project exists for): when the
 * maintenance_windows table does not exist it fails open — nothing is blocked, one warning per
 * minute is logged, chefcloud_maintenance_fail_open_total counts each lookup — and any other error propagates (a database outage is a 503, not a pass).
 *
 * Answers are cached per org for MAINTENANCE_CACHE_TTL_MS (default 5 s): each entry holds every
 * window overlapping [fetch time, fetch time + TTL], so a window starting or ending inside the
 * interval still takes effect at its exact boundary. A missing table is cached too (at most one
 * query per interval). Changes made through this instance invalidate the cache at once.
 */
@Injectable()
export class MaintenanceService {
  private readonly logger = new Logger('Maintenance');
  private readonly cache = new Map<string, CacheEntry>();
  private readonly ttlMs: number;
  private lastWarningAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly windows: MaintenanceWindowsRepository,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'changeControl'>,
    private readonly metrics: MetricsService,
  ) {
    this.ttlMs = config.changeControl.maintenanceCacheTtlMs;
  }

  /** Whether writes of `orgId` (null: an anonymous caller, global windows only) are blocked at `now`. */
  async isBlockedWrite(now: Date, orgId: string | null): Promise<BlockDecision> {
    const windows = await this.windowsAt(now, orgId);
    if (windows === 'missing') return { blocked: false, failOpen: true };
    const blocking = windows.find((w) => w.blockWrites);
    return blocking ? { blocked: true, window: blocking } : { blocked: false };
  }

  /** Windows of the org and global ones in force at `now` (blocking or not), ending last first. */
  async activeWindows(now: Date, orgId: string | null): Promise<MaintenanceWindow[]> {
    const windows = await this.windowsAt(now, orgId);
    return windows === 'missing' ? [] : windows;
  }

  /** Forget every cached answer (after a window is created, changed or ended on this instance). */
  invalidate(): void {
    this.cache.clear();
  }

  /** Windows in force at `now`, or 'missing' when the check fails open (the table does not exist). */
  private async windowsAt(now: Date, orgId: string | null): Promise<MaintenanceWindow[] | 'missing'> {
    const t = now.getTime();
    const key = orgId ?? '';
    let entry = this.cache.get(key);
    if (!entry || t < entry.fetchedAt || t >= entry.fetchedAt + this.ttlMs) {
      entry = { fetchedAt: t, windows: this.fetch(now, orgId) };
      if (this.ttlMs > 0) {
        if (this.cache.size >= MAX_CACHED_ORGS) this.cache.clear();
        this.cache.set(key, entry);
      }
    }
    let windows: MaintenanceWindow[] | 'missing';
    try {
      windows = await entry.windows;
    } catch (error) {
      if (this.cache.get(key) === entry) this.cache.delete(key);
      throw error;
    }
    if (windows === 'missing') {
      this.metrics.maintenanceFailedOpen();
      this.warnMissingTable(t);
      return 'missing';
    }
    return windows.filter((w) => w.startsAt.getTime() <= t && t < w.endsAt.getTime());
  }

  private async fetch(now: Date, orgId: string | null): Promise<MaintenanceWindow[] | 'missing'> {
    try {
      return await this.windows.findOverlapping(orgId, now, new Date(now.getTime() + this.ttlMs));
    } catch (error) {
      if (isMissingTableError(error, 'maintenance_windows')) return 'missing';
      throw error;
    }
  }

  private warnMissingTable(t: number): void {
    if (t - this.lastWarningAt < WARNING_INTERVAL_MS && t >= this.lastWarningAt) return;
    this.lastWarningAt = t;
    this.logger.warn(MISSING_TABLE_WARNING);
  }
}
