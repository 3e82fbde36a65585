import type { MetricsService } from '../metrics/metrics.service';
import { Logger } from '@nestjs/common';
import type { MaintenanceWindow } from '@chefcloud/db';
import type { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceService, MISSING_TABLE_WARNING } from './maintenance.service';

const T = Date.parse('2026-11-25T12:00:00Z');
const at = (ms: number) => new Date(T + ms);

function window(overrides: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: 'w1',
    orgId: 'org-1',
    startsAt: at(0),
    endsAt: at(60_000),
    message: null,
    blockWrites: true,
    createdById: null,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

/** The error Prisma raises for a missing table (P2021). */
function p2021(): Error {
  return Object.assign(new Error('The table `public.maintenance_windows` does not exist in the current database.'), {
    code: 'P2021',
    meta: { table: 'public.maintenance_windows' },
  });
}

function setup(ttlMs = 5_000) {
  const repo = {
    findOverlapping: jest.fn<Promise<MaintenanceWindow[]>, [string | null, Date, Date]>().mockResolvedValue([]),
  };
  const metrics = { maintenanceFailedOpen: jest.fn() };
  const service = new MaintenanceService(
    repo as unknown as MaintenanceWindowsRepository,
    {
      changeControl: {
        writeBlockEnabled: true,
        maintenanceCacheTtlMs: ttlMs,
        maxOpenWindows: 20,
        flagCacheTtlMs: 0,
        platformAdminOrgSlug: null,
      },
    },
    metrics as unknown as MetricsService,
  );
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  return { service, repo, warn, metrics };
}

afterEach(() => jest.restoreAllMocks());

describe('MaintenanceService.isBlockedWrite', () => {
  it('is not blocked without windows', async () => {
    const { service, repo } = setup();
    await expect(service.isBlockedWrite(at(0), 'org-1')).resolves.toEqual({ blocked: false });
    expect(repo.findOverlapping).toHaveBeenCalledWith('org-1', at(0), at(5_000));
  });

  it('blocks from startsAt (inclusive) to endsAt (exclusive)', async () => {
    const { service, repo } = setup(0);
    const w = window({ startsAt: at(1_000), endsAt: at(2_000) });
    repo.findOverlapping.mockResolvedValue([w]);
    await expect(service.isBlockedWrite(at(999), 'org-1')).resolves.toEqual({ blocked: false });
    await expect(service.isBlockedWrite(at(1_000), 'org-1')).resolves.toEqual({ blocked: true, window: w });
    await expect(service.isBlockedWrite(at(1_999), 'org-1')).resolves.toEqual({ blocked: true, window: w });
    await expect(service.isBlockedWrite(at(2_000), 'org-1')).resolves.toEqual({ blocked: false });
  });

  it('ignores windows that do not block writes, but lists them as active', async () => {
    const { service, repo } = setup();
    const info = window({ blockWrites: false });
    repo.findOverlapping.mockResolvedValue([info]);
    await expect(service.isBlockedWrite(at(10), 'org-1')).resolves.toEqual({ blocked: false });
    await expect(service.activeWindows(at(10), 'org-1')).resolves.toEqual([info]);
  });

  it('asks for global windows only when there is no org (anonymous caller)', async () => {
    const { service, repo } = setup();
    await service.isBlockedWrite(at(0), null);
    expect(repo.findOverlapping).toHaveBeenCalledWith(null, at(0), at(5_000));
  });

  it('caches per org for the TTL, covering windows that start within it, and refetches after', async () => {
    const { service, repo } = setup(5_000);
    const later = window({ startsAt: at(3_000), endsAt: at(60_000) });
    repo.findOverlapping.mockResolvedValue([later]);
    await expect(service.isBlockedWrite(at(0), 'org-1')).resolves.toEqual({ blocked: false });
    await expect(service.isBlockedWrite(at(3_000), 'org-1')).resolves.toMatchObject({ blocked: true });
    expect(repo.findOverlapping).toHaveBeenCalledTimes(1);
    await service.isBlockedWrite(at(0), 'org-2');
    expect(repo.findOverlapping).toHaveBeenCalledTimes(2);
    await service.isBlockedWrite(at(5_000), 'org-1');
    expect(repo.findOverlapping).toHaveBeenCalledTimes(3);
    await service.isBlockedWrite(at(4_000), 'org-1'); // clock moved back: refetch
    expect(repo.findOverlapping).toHaveBeenCalledTimes(4);
  });

  it('invalidate() forgets every cached answer', async () => {
    const { service, repo } = setup();
    await service.isBlockedWrite(at(0), 'org-1');
    service.invalidate();
    await service.isBlockedWrite(at(0), 'org-1');
    expect(repo.findOverlapping).toHaveBeenCalledTimes(2);
  });

  it('shares one query between concurrent callers', async () => {
    const { service, repo } = setup();
    await Promise.all([
      service.isBlockedWrite(at(0), 'org-1'),
      service.isBlockedWrite(at(1), 'org-1'),
      service.isBlockedWrite(at(2), 'org-1'),
    ]);
    expect(repo.findOverlapping).toHaveBeenCalledTimes(1);
  });

  it('bounds the cache by clearing it when full', async () => {
    const { service, repo } = setup();
    for (let i = 0; i < 10_001; i++) await service.isBlockedWrite(at(0), `org-${i}`);
    await service.isBlockedWrite(at(0), 'org-0');
    expect(repo.findOverlapping).toHaveBeenCalledTimes(10_002);
  });

  describe('fail open when the table does not exist', () => {
    it('handles Prisma P2021: not blocked (marked fail-open), one warning, each lookup counted', async () => {
      const { service, repo, warn, metrics } = setup();
      repo.findOverlapping.mockRejectedValue(p2021());
      await expect(service.isBlockedWrite(at(0), 'org-1')).resolves.toEqual({ blocked: false, failOpen: true });
      await expect(service.activeWindows(at(0), 'org-1')).resolves.toEqual([]);
      expect(metrics.maintenanceFailedOpen).toHaveBeenCalledTimes(2);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(MISSING_TABLE_WARNING);
      expect(MISSING_TABLE_WARNING).toBe(
        'maintenance_windows table does not exist - failing open (no maintenance check)',
      );
    });

    it('detects PostgreSQL 42P01 and the "relation ... does not exist" message', async () => {
      for (const error of [
        Object.assign(new Error('relation "maintenance_windows" does not exist'), { code: '42P01' }),
        new Error('relation "maintenance_windows" does not exist'),
        new Error(
          'Invalid `prisma.maintenanceWindow.findMany()` invocation: The table `public.maintenance_windows` does not exist in the current database.',
        ),
      ]) {
        const { service, repo } = setup();
        repo.findOverlapping.mockRejectedValue(error);
        await expect(service.isBlockedWrite(at(0), 'org-1')).resolves.toEqual({ blocked: false, failOpen: true });
      }
    });

    it('caches the missing table: at most one query per interval, one warning per minute', async () => {
      const { service, repo, warn } = setup(5_000);
      repo.findOverlapping.mockRejectedValue(p2021());
      for (let ms = 0; ms < 60_000; ms += 500) await service.isBlockedWrite(at(ms), 'org-1');
      expect(repo.findOverlapping).toHaveBeenCalledTimes(12);
      expect(warn).toHaveBeenCalledTimes(1);
      await service.isBlockedWrite(at(60_000), 'org-1');
      expect(warn).toHaveBeenCalledTimes(2);
      await service.isBlockedWrite(at(1_000), 'org-1'); // clock moved back: warn again rather than stay silent
      expect(warn).toHaveBeenCalledTimes(3);
    });

    it('re-throws every other error (a database outage must not pass as "not blocked") and does not cache it', async () => {
      for (const error of [
        Object.assign(new Error("Can't reach database server"), { code: 'P1001' }),
        new Error('relation "orders" does not exist'),
        new Error('boom'),
      ]) {
        const { service, repo, metrics } = setup();
        repo.findOverlapping.mockRejectedValueOnce(error);
        await expect(service.isBlockedWrite(at(0), 'org-1')).rejects.toBe(error);
        await expect(service.isBlockedWrite(at(1), 'org-1')).resolves.toEqual({ blocked: false });
        expect(metrics.maintenanceFailedOpen).not.toHaveBeenCalled();
        expect(repo.findOverlapping).toHaveBeenCalledTimes(2);
      }
    });

    it('leaves a newer cache entry alone when an older query fails', async () => {
      const { service, repo } = setup();
      let rejectFirst!: (e: Error) => void;
      repo.findOverlapping.mockImplementationOnce(() => new Promise((_, reject) => (rejectFirst = reject)));
      const first = service.isBlockedWrite(at(0), 'org-1');
      service.invalidate();
      await service.isBlockedWrite(at(0), 'org-1');
      rejectFirst(new Error('boom'));
      await expect(first).rejects.toThrow('boom');
      await service.isBlockedWrite(at(1), 'org-1');
      expect(repo.findOverlapping).toHaveBeenCalledTimes(2);
    });
  });
});
