import { Inject, Injectable } from '@nestjs/common';
import type { MaintenanceWindow } from '@chefcloud/db';
import type { AuthUser } from '../auth/auth.types';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AppException } from '../common/errors/app-exception';
import { keysetPageOf, pagingOf, type KeysetPage, type Page } from '../common/pagination/pagination.dto';
import { PlatformAdminService } from '../platform/platform-admin.service';
import {
  toWindowDto,
  type CreateMaintenanceWindowDto,
  type ListMaintenanceQueryDto,
  type MaintenanceWindowDto,
  type UpdateMaintenanceWindowDto,
} from './dto/maintenance-window.dto';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceService } from './maintenance.service';

/**
 * Managing maintenance windows through /ops/maintenance. A user sees and changes their own
 * org's windows (another org's window is 404) and sees global ones; only platform admins may
 * create or change global windows (403 otherwise). Every change invalidates this instance's
 * maintenance cache at once; other instances follow within MAINTENANCE_CACHE_TTL_MS.
 */
@Injectable()
export class MaintenanceAdminService {
  private readonly maxOpenWindows: number;

  constructor(
    private readonly windows: MaintenanceWindowsRepository,
    private readonly maintenance: MaintenanceService,
    private readonly platform: PlatformAdminService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'changeControl'>,
  ) {
    this.maxOpenWindows = config.changeControl.maxOpenWindows;
  }

  async create(user: AuthUser, dto: CreateMaintenanceWindowDto): Promise<MaintenanceWindowDto> {
    assertOrder(dto.startsAt, dto.endsAt);
    if (dto.global) await this.platform.assertPlatformAdmin(user, 'create global maintenance windows');
    const created = await this.windows.createCapped(
      {
        orgId: dto.global ? null : user.orgId,
        startsAt: dto.startsAt,
        endsAt: dto.endsAt,
        message: dto.message ?? null,
        blockWrites: dto.blockWrites ?? true,
        createdById: user.userId,
      },
      this.maxOpenWindows,
      this.clock.now(),
    );
    if (created === 'cap') throw tooManyOpenWindows(this.maxOpenWindows);
    this.maintenance.invalidate();
    return toWindowDto(created);
  }

  /** Windows in force now for the user's org and global ones, newest first. */
  async active(user: AuthUser): Promise<MaintenanceWindowDto[]> {
    const windows = await this.maintenance.activeWindows(this.clock.now(), user.orgId);
    return windows.map(toWindowDto);
  }

  /** The org's and global windows, newest first: by `page` (with a total) or by keyset `cursor` (none counted). */
  async list(
    user: AuthUser,
    query: ListMaintenanceQueryDto,
  ): Promise<Page<MaintenanceWindowDto> | KeysetPage<MaintenanceWindowDto>> {
    if (query.from && query.to && query.to <= query.from) throw invalid('to', 'to must be after from');
    const paging = pagingOf(query, 'maintenance-window');
    const range = { from: query.from, to: query.to };
    if (paging.mode === 'keyset') {
      const rows = await this.windows.listAfter(user.orgId, range, paging.after, paging.pageSize + 1);
      return keysetPageOf(rows, paging.pageSize, 'maintenance-window', (w) => w.startsAt, toWindowDto);
    }
    const { page, pageSize, skip } = paging;
    const { items, total } = await this.windows.list(user.orgId, range, skip, pageSize);
    return { items: items.map(toWindowDto), page, pageSize, total };
  }

  /**
   * Change a window. The new times are validated against the window as read, and the update
   * applies only if the times are still those (compare-and-set): two PATCHes racing can never
   * store a window that ends before it starts; the loser gets 409 and retries on fresh data.
   */
  async update(user: AuthUser, id: string, dto: UpdateMaintenanceWindowDto): Promise<MaintenanceWindowDto> {
    const window = await this.changeable(user, id);
    assertOrder(dto.startsAt ?? window.startsAt, dto.endsAt ?? window.endsAt);
    const updated = await this.windows.updateIfUnchanged(
      window,
      { startsAt: dto.startsAt, endsAt: dto.endsAt, message: dto.message, blockWrites: dto.blockWrites },
      this.maxOpenWindows,
      this.clock.now(),
    );
    this.maintenance.invalidate();
    return toWindowDto(checked(updated, this.maxOpenWindows));
  }

  /** End a window now (a future window is cancelled: it starts and ends now). Ending an ended window changes nothing. */
  async end(user: AuthUser, id: string): Promise<MaintenanceWindowDto> {
    const window = await this.changeable(user, id);
    const now = this.clock.now();
    if (window.endsAt <= now) return toWindowDto(window);
    const updated = await this.windows.updateIfUnchanged(
      window,
      { endsAt: now, ...(window.startsAt > now ? { startsAt: now } : {}) },
      this.maxOpenWindows,
      now,
    );
    this.maintenance.invalidate();
    return toWindowDto(checked(updated, this.maxOpenWindows));
  }

  private async changeable(user: AuthUser, id: string): Promise<MaintenanceWindow> {
    const window = await this.windows.findById(id);
    if (!window || (window.orgId !== null && window.orgId !== user.orgId)) {
      throw new AppException('NOT_FOUND', 'Maintenance window not found');
    }
    if (window.orgId === null) await this.platform.assertPlatformAdmin(user, 'change global maintenance windows');
    return window;
  }
}

function tooManyOpenWindows(cap: number): AppException {
  return new AppException(
    'TOO_MANY_OPEN_WINDOWS',
    `At most ${cap} maintenance windows may be scheduled or in force at once; end or wait for one first`,
    { details: { maxOpenWindows: cap } },
  );
}

function checked(result: MaintenanceWindow | 'conflict' | 'cap', cap: number): MaintenanceWindow {
  if (result === 'cap') throw tooManyOpenWindows(cap);
  if (result === 'conflict')
    throw new AppException('CONFLICT', 'The window was changed by another request meanwhile; read it and retry');
  return result;
}

function invalid(field: string, message: string): AppException {
  return new AppException('VALIDATION_FAILED', `Request validation failed: ${field}`, {
    details: [{ field, errors: [message] }],
  });
}

function assertOrder(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw invalid('endsAt', 'endsAt must be after startsAt');
}
