import type { AuthUser } from '../auth/auth.types';
import type { Clock } from '../common/clock/clock';
import type { OrgsRepository } from './orgs.repository';
import { PLATFORM_ORG_LOOKUP_TTL_MS, PlatformAdminService } from './platform-admin.service';

const admin: AuthUser = { userId: 'u1', orgId: 'org-platform', roleLevel: 'L5' } as AuthUser;

function setup(slug: string | null = 'platform') {
  let now = Date.parse('2026-11-26T09:00:00Z');
  const orgs = { findOrgIdBySlug: jest.fn<Promise<string | null>, [string]>() };
  const clock = { now: () => new Date(now) } as Clock;
  const service = new PlatformAdminService(
    { changeControl: { platformAdminOrgSlug: slug } } as never,
    orgs as unknown as OrgsRepository,
    clock,
  );
  return { service, orgs, advance: (ms: number) => (now += ms) };
}

describe('PlatformAdminService', () => {
  it('admits L5 users of the platform org only', async () => {
    const { service, orgs } = setup();
    orgs.findOrgIdBySlug.mockResolvedValue('org-platform');
    expect(await service.isPlatformAdmin(admin)).toBe(true);
    expect(await service.isPlatformAdmin({ ...admin, roleLevel: 'L4' })).toBe(false);
    expect(await service.isPlatformAdmin({ ...admin, orgId: 'org-other' })).toBe(false);
    expect(orgs.findOrgIdBySlug).toHaveBeenCalledWith('platform');
    await expect(service.assertPlatformAdmin({ ...admin, orgId: 'x' }, 'do it')).rejects.toMatchObject({
      code: 'PLATFORM_ADMIN_REQUIRED',
    });
  });

  it('admits nobody without PLATFORM_ADMIN_ORG_SLUG, without a lookup', async () => {
    const { service, orgs } = setup(null);
    expect(await service.isPlatformAdmin(admin)).toBe(false);
    expect(orgs.findOrgIdBySlug).not.toHaveBeenCalled();
  });

  it('reuses a found org id only until the TTL passes on the Clock, then looks it up again', async () => {
    const { service, orgs, advance } = setup();
    orgs.findOrgIdBySlug.mockResolvedValueOnce('org-platform').mockResolvedValueOnce('org-recreated');
    expect(await service.isPlatformAdmin(admin)).toBe(true);
    advance(PLATFORM_ORG_LOOKUP_TTL_MS - 1);
    expect(await service.isPlatformAdmin(admin)).toBe(true);
    expect(orgs.findOrgIdBySlug).toHaveBeenCalledTimes(1);
    advance(1);
    expect(await service.isPlatformAdmin(admin)).toBe(false);
    expect(await service.isPlatformAdmin({ ...admin, orgId: 'org-recreated' })).toBe(true);
    expect(orgs.findOrgIdBySlug).toHaveBeenCalledTimes(2);
  });

  it('looks a missing org up again after the TTL (created later)', async () => {
    const { service, orgs, advance } = setup();
    orgs.findOrgIdBySlug.mockResolvedValueOnce(null).mockResolvedValueOnce('org-platform');
    expect(await service.isPlatformAdmin(admin)).toBe(false);
    expect(await service.isPlatformAdmin(admin)).toBe(false);
    advance(PLATFORM_ORG_LOOKUP_TTL_MS);
    expect(await service.isPlatformAdmin(admin)).toBe(true);
    expect(orgs.findOrgIdBySlug).toHaveBeenCalledTimes(2);
  });
});
