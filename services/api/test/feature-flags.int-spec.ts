import { FeatureFlagsService } from '../src/feature-flags/feature-flags.service';
import { createPlatformAdmin, DEMO, startTestApp, type TestApp } from './support/test-app';

describe('feature flags (real PostgreSQL)', () => {
  let t: TestApp;
  let owner: string;
  let manager: string;
  let waiter: string;
  let otherOwner: string;
  let platformAdmin: string;
  let ids: Record<'owner' | 'manager' | 'waiter' | 'otherOwner', string>;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ PLATFORM_ADMIN_ORG_SLUG: 'platform' });
    const adminEmail = await createPlatformAdmin(t);
    [owner, manager, waiter, otherOwner, platformAdmin] = await Promise.all([
      t.login(DEMO.owner),
      t.login(DEMO.manager),
      t.login(DEMO.waiter),
      t.login(DEMO.otherOwner),
      t.login(adminEmail),
    ]);
    const users = await t.prisma.user.findMany();
    const id = (email: string) => users.find((u) => u.email === email)!.id;
    ids = {
      owner: id(DEMO.owner),
      manager: id(DEMO.manager),
      waiter: id(DEMO.waiter),
      otherOwner: id(DEMO.otherOwner),
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const audits = async (key: string, token = owner) => {
    const res = await t.http.get(`/ops/flags/${key}/audit`).set(auth(token)).expect(200);
    return res.body as {
      action: string;
      userId: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown>;
      reason: string | null;
    }[];
  };
  const evaluate = async (key: string, token: string) =>
    (await t.http.get(`/ops/flags/${key}/evaluate`).set(auth(token)).expect(200)).body as Record<string, unknown>;

  it('creates, reads, changes, toggles and kills a flag, auditing each change with the acting user', async () => {
    const created = await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'new-checkout', description: 'New checkout', reason: 'launch prep' })
      .expect(201);
    expect(created.body).toMatchObject({
      key: 'new-checkout',
      active: false,
      rolloutPct: 100,
      global: false,
      createdById: ids.owner,
      updatedById: ids.owner,
    });

    await t.http.get('/ops/flags/new-checkout').set(auth(manager)).expect(200);
    const list = await t.http.get('/ops/flags').set(auth(manager)).expect(200);
    expect((list.body as { key: string }[]).map((f) => f.key)).toContain('new-checkout');

    const updated = await t.http
      .patch('/ops/flags/new-checkout')
      .set(auth(owner))
      .send({ rolloutPct: 30, scopes: { roles: ['L1', 'L4'] }, reason: 'canary' })
      .expect(200);
    expect(updated.body).toMatchObject({ rolloutPct: 30, scopes: { roles: ['L1', 'L4'] } });
    const toggled = await t.http
      .patch('/ops/flags/new-checkout/toggle')
      .set(auth(owner))
      .send({ reason: 'go' })
      .expect(200);
    expect(toggled.body).toMatchObject({ active: true });
    const killed = await t.http
      .post('/ops/flags/new-checkout/kill')
      .set(auth(owner))
      .send({ reason: 'checkout errors' })
      .expect(201);
    expect(killed.body).toMatchObject({
      message: 'Feature flag new-checkout has been killed',
      active: false,
      rolloutPct: 0,
    });

    const trail = await audits('new-checkout', manager);
    expect(trail.map((a) => [a.action, a.userId, a.reason])).toEqual([
      ['KILL', ids.owner, 'checkout errors'],
      ['TOGGLE', ids.owner, 'go'],
      ['UPDATE', ids.owner, 'canary'],
      ['CREATE', ids.owner, 'launch prep'],
    ]);
    expect(trail[0].before).toMatchObject({ active: true, rolloutPct: 30 });
    expect(trail[0].after).toMatchObject({ active: false, rolloutPct: 0 });
    expect(trail[2].before).toMatchObject({ rolloutPct: 100, scopes: null });
    expect(trail[2].after).toMatchObject({ rolloutPct: 30, scopes: { roles: ['L1', 'L4'] } });
    expect(trail[3].before).toBeNull();

    const page = await t.http.get('/ops/flags/new-checkout/audit?page=2&pageSize=3').set(auth(owner)).expect(200);
    expect(page.body).toMatchObject([{ action: 'CREATE' }]);
    expect(page.headers['x-total-count']).toBe('4');
  });

  it('POST on an existing key changes only the fields given (200, audited UPDATE); another org still gets its own flag', async () => {
    await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'staged', description: 'Staged', active: true, rolloutPct: 10, scopes: { roles: ['L1'] } })
      .expect(201);
    const again = await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'staged', rolloutPct: 50, reason: 'stage 2' })
      .expect(200);
    expect(again.body).toMatchObject({
      key: 'staged',
      description: 'Staged',
      active: true,
      rolloutPct: 50,
      scopes: { roles: ['L1'] },
    });
    const trail = await audits('staged');
    expect(trail.map((a) => [a.action, a.reason])).toEqual([
      ['UPDATE', 'stage 2'],
      ['CREATE', null],
    ]);
    expect(trail[0].before).toMatchObject({ rolloutPct: 10 });
    expect(trail[0].after).toMatchObject({ rolloutPct: 50, active: true });
    await t.http.post('/ops/flags').set(auth(otherOwner)).send({ key: 'staged' }).expect(201);
    expect(await t.prisma.featureFlag.count({ where: { key: 'staged' } })).toBe(2);
  });

  it('validates flag input', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ key: 'Bad Key!' }, 'key'],
      [{ key: '-leading-dash' }, 'key'],
      [{ key: 'ok-key', rolloutPct: 101 }, 'rolloutPct'],
      [{ key: 'ok-key', rolloutPct: 12.5 }, 'rolloutPct'],
      [{ key: 'ok-key', scopes: { roles: ['L9'] } }, 'scopes.roles'],
      [{ key: 'ok-key', scopes: { branchIds: 'b1' } }, 'scopes.branchIds'],
      [{ key: 'ok-key', orgId: 'someone-else' }, 'orgId'],
    ];
    for (const [body, field] of bad) {
      const res = await t.http.post('/ops/flags').set(auth(owner)).send(body).expect(400);
      expect((res.body as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
    }
    await t.http.patch('/ops/flags/missing-flag').set(auth(owner)).send({ rolloutPct: 5 }).expect(404);
  });

  it('kills in one transaction: if the audit cannot be written, the flag is unchanged', async () => {
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'atomic-kill', active: true }).expect(201);
    await t.prisma.$executeRawUnsafe('ALTER TABLE flag_audits RENAME TO flag_audits_away');
    try {
      const res = await t.http.post('/ops/flags/atomic-kill/kill').set(auth(owner)).send({ reason: 'x' }).expect(503);
      expect(res.body).toMatchObject({
        code: 'SCHEMA_NOT_MIGRATED',
        details: { table: 'flag_audits', pendingMigration: '20251029222740_change_control' },
      });
    } finally {
      await t.prisma.$executeRawUnsafe('ALTER TABLE flag_audits_away RENAME TO flag_audits');
    }
    const flag = await t.prisma.featureFlag.findFirstOrThrow({ where: { key: 'atomic-kill' } });
    expect(flag).toMatchObject({ active: true, rolloutPct: 100 });
    expect(await t.prisma.flagAudit.count({ where: { flagKey: 'atomic-kill' } })).toBe(1);
  });

  it('keeps flags per org: another org sees 404 and may use the same key', async () => {
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'isolated', active: true }).expect(201);
    await t.http.get('/ops/flags/isolated').set(auth(otherOwner)).expect(404);
    await t.http.patch('/ops/flags/isolated').set(auth(otherOwner)).send({ rolloutPct: 1 }).expect(404);
    await t.http.patch('/ops/flags/isolated/toggle').set(auth(otherOwner)).send({}).expect(404);
    await t.http.post('/ops/flags/isolated/kill').set(auth(otherOwner)).send({}).expect(404);
    await t.http.get('/ops/flags/isolated/audit').set(auth(otherOwner)).expect(404);
    expect(await evaluate('isolated', otherOwner)).toMatchObject({
      enabled: false,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    await t.http.post('/ops/flags').set(auth(otherOwner)).send({ key: 'isolated' }).expect(201);
    expect(await evaluate('isolated', otherOwner)).toMatchObject({ enabled: false, reason: 'DISABLED' });
    expect(await evaluate('isolated', owner)).toMatchObject({ enabled: true });
    const otherList = await t.http.get('/ops/flags/isolated/audit').set(auth(otherOwner)).expect(200);
    expect(otherList.body).toHaveLength(1);
    expect(otherList.headers['x-total-count']).toBe('1');
  });

  it('lets platform admins manage global flags that every org sees, and orgs override them', async () => {
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'global-banner', global: true }).expect(403);
    const created = await t.http
      .post('/ops/flags')
      .set(auth(platformAdmin))
      .send({ key: 'global-banner', global: true, active: true })
      .expect(201);
    expect(created.body).toMatchObject({ global: true, orgId: null });
    await t.http.post('/ops/flags').set(auth(platformAdmin)).send({ key: 'global-banner', global: true }).expect(200);
    expect(await evaluate('global-banner', waiter)).toMatchObject({ enabled: true, reason: 'TARGETING_MATCH' });
    expect(await evaluate('global-banner', otherOwner)).toMatchObject({ enabled: true });
    await t.http.patch('/ops/flags/global-banner/toggle').set(auth(owner)).send({}).expect(403);
    await t.http.post('/ops/flags').set(auth(otherOwner)).send({ key: 'global-banner', active: false }).expect(201);
    expect(await evaluate('global-banner', otherOwner)).toMatchObject({ enabled: false, reason: 'DISABLED' });
    expect(await evaluate('global-banner', waiter)).toMatchObject({ enabled: true });
    await t.http
      .post('/ops/flags/global-banner/kill')
      .set(auth(platformAdmin))
      .send({ reason: 'incident' })
      .expect(201);
    expect(await evaluate('global-banner', waiter)).toMatchObject({ enabled: false, reason: 'DISABLED' });
    const trail = await audits('global-banner', owner);
    expect(trail.map((a) => a.action)).toEqual(['KILL', 'UPDATE', 'CREATE']);
  });

  it("shows another org a global flag's audit trail without the platform admin's user id or the reason", async () => {
    await t.http
      .post('/ops/flags')
      .set(auth(platformAdmin))
      .send({ key: 'global-audit', global: true, reason: 'internal: rollout for ACME contract' })
      .expect(201);
    await t.http
      .patch('/ops/flags/global-audit/toggle')
      .set(auth(platformAdmin))
      .send({ reason: 'internal: ticket OPS-42' })
      .expect(200);
    for (const viewer of [owner, manager, otherOwner]) {
      const res = await t.http.get('/ops/flags/global-audit/audit').set(auth(viewer)).expect(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('internal:');
      const items = res.body as Record<string, unknown>[];
      expect(items.map((a) => [a.action, a.userId, a.user, a.reason, a.redacted])).toEqual([
        ['TOGGLE', null, null, null, true],
        ['CREATE', null, null, null, true],
      ]);
      const flag = await t.http.get('/ops/flags/global-audit').set(auth(viewer)).expect(200);
      expect(flag.body).toMatchObject({ createdById: null, updatedById: null });
    }
    const adminView = await t.http.get('/ops/flags/global-audit/audit').set(auth(platformAdmin)).expect(200);
    const adminItems = adminView.body as Record<string, unknown>[];
    expect(adminItems[0]).toMatchObject({
      userId: expect.any(String),
      user: { email: expect.any(String) },
      reason: 'internal: ticket OPS-42',
    });
    expect(adminItems[0].redacted).toBeUndefined();
    // An org's own flags keep their full trail.
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'own-audit', reason: 'ours' }).expect(201);
    expect((await audits('own-audit', manager))[0]).toMatchObject({ userId: ids.owner, reason: 'ours' });
  });

  it.each([['rolloutPct'], ['description'], ['active'], ['global'], ['reason'], ['key']])(
    'POST /ops/flags with %s: null is 400 naming it',
    async (field) => {
      const res = await t.http
        .post('/ops/flags')
        .set(auth(owner))
        .send({ key: `null-${field.toLowerCase()}`, [field]: null })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field })] });
    },
  );

  it('PATCH null: rolloutPct and description are 400, scopes null clears targeting (documented)', async () => {
    await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'null-scopes', scopes: { roles: ['L5'] } })
      .expect(201);
    for (const field of ['rolloutPct', 'description', 'reason']) {
      const res = await t.http
        .patch('/ops/flags/null-scopes')
        .set(auth(owner))
        .send({ [field]: null })
        .expect(400);
      expect(res.body).toMatchObject({ details: [expect.objectContaining({ field })] });
    }
    for (const field of ['roles', 'branchIds']) {
      const res = await t.http
        .patch('/ops/flags/null-scopes')
        .set(auth(owner))
        .send({ scopes: { [field]: null } })
        .expect(400);
      expect(res.body).toMatchObject({ details: [expect.objectContaining({ field: `scopes.${field}` })] });
    }
    const cleared = await t.http.patch('/ops/flags/null-scopes').set(auth(owner)).send({ scopes: null }).expect(200);
    expect(cleared.body).toMatchObject({ scopes: null, rolloutPct: 100 });
    await t.http.patch('/ops/flags/null-scopes/toggle').set(auth(owner)).send({ reason: null }).expect(400);
  });

  it('enforces role levels: reads L4+, writes L5, evaluation for everyone signed in', async () => {
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'rbac-flag', active: true }).expect(201);
    await t.http.get('/ops/flags').set(auth(waiter)).expect(403);
    await t.http.get('/ops/flags/rbac-flag').set(auth(waiter)).expect(403);
    await t.http.get('/ops/flags/rbac-flag/audit').set(auth(waiter)).expect(403);
    await t.http.get('/ops/flags/rbac-flag').set(auth(manager)).expect(200);
    await t.http.post('/ops/flags').set(auth(manager)).send({ key: 'by-manager' }).expect(403);
    await t.http.patch('/ops/flags/rbac-flag').set(auth(manager)).send({ rolloutPct: 1 }).expect(403);
    await t.http.patch('/ops/flags/rbac-flag/toggle').set(auth(manager)).send({}).expect(403);
    await t.http.post('/ops/flags/rbac-flag/kill').set(auth(manager)).send({}).expect(403);
    await evaluate('rbac-flag', waiter);
    await t.http.get('/ops/flags/rbac-flag/evaluate').expect(401);
  });

  it('evaluates with reasons: DISABLED, TARGETING_MATCH, SPLIT, DEFAULT, ERROR', async () => {
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'eval-off' }).expect(201);
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'eval-all', active: true }).expect(201);
    await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'eval-split', active: true, rolloutPct: 50 })
      .expect(201);
    await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'eval-managers', active: true, scopes: { roles: ['L4', 'L5'] } })
      .expect(201);
    const branch = await t.prisma.branch.findFirstOrThrow({ where: { org: { slug: 'demo-bistro' } } });
    await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'eval-branch', active: true, scopes: { branchIds: [branch.id] } })
      .expect(201);
    await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'eval-other-branch', active: true, scopes: { branchIds: ['another-branch'] } })
      .expect(201);

    expect(await evaluate('eval-off', waiter)).toEqual({ key: 'eval-off', enabled: false, reason: 'DISABLED' });
    expect(await evaluate('eval-all', waiter)).toEqual({ key: 'eval-all', enabled: true, reason: 'TARGETING_MATCH' });
    expect(await evaluate('eval-split', waiter)).toMatchObject({
      key: 'eval-split',
      reason: 'SPLIT',
      bucket: expect.any(Number),
    });
    expect(await evaluate('eval-managers', waiter)).toEqual({
      key: 'eval-managers',
      enabled: false,
      reason: 'DEFAULT',
    });
    expect(await evaluate('eval-managers', manager)).toEqual({
      key: 'eval-managers',
      enabled: true,
      reason: 'TARGETING_MATCH',
    });
    expect(await evaluate('eval-branch', waiter)).toMatchObject({ enabled: true });
    expect(await evaluate('eval-other-branch', waiter)).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(await evaluate('no-such-flag', waiter)).toEqual({
      key: 'no-such-flag',
      enabled: false,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('keeps rollout sticky per user, and rolloutPct 30 enables 25–35% of 1,000 users', async () => {
    await t.http
      .post('/ops/flags')
      .set(auth(owner))
      .send({ key: 'rollout-30', active: true, rolloutPct: 30 })
      .expect(201);
    const first = await evaluate('rollout-30', waiter);
    for (let i = 0; i < 5; i++) expect(await evaluate('rollout-30', waiter)).toEqual(first);
    const service = t.app.get(FeatureFlagsService);
    const orgId = (await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } })).id;
    let enabled = 0;
    const decisions = new Map<string, boolean>();
    for (let i = 0; i < 1000; i++) {
      const user = { userId: `user-${i}-${(i * 7919) % 1000}`, orgId, roleLevel: 'L1' as const, branchId: null };
      const on = await service.isEnabled('rollout-30', user);
      decisions.set(user.userId, on);
      if (on) enabled++;
    }
    expect(enabled).toBeGreaterThanOrEqual(250);
    expect(enabled).toBeLessThanOrEqual(350);
    for (const [userId, on] of [...decisions].slice(0, 100))
      expect(await service.isEnabled('rollout-30', { userId, orgId, roleLevel: 'L1', branchId: null })).toBe(on);
  });

  it('@RequireFlag answers 404 while the flag is off for the caller', async () => {
    await t.http.get('/probe/beta').set(auth(waiter)).expect(404);
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'beta-menu', active: true }).expect(201);
    await t.http.get('/probe/beta').set(auth(waiter)).expect(200);
    await t.http.post('/ops/flags/beta-menu/kill').set(auth(owner)).send({}).expect(201);
    const res = await t.http.get('/probe/beta').set(auth(waiter)).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('never fails evaluation: a missing table gives enabled=false with a reason', async () => {
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'table-gone', active: true }).expect(201);
    t.app.get(FeatureFlagsService).invalidate();
    await t.prisma.$executeRawUnsafe('ALTER TABLE feature_flags RENAME TO feature_flags_away');
    try {
      expect(await evaluate('table-gone', waiter)).toEqual({
        key: 'table-gone',
        enabled: false,
        reason: 'ERROR',
        errorCode: 'PROVIDER_NOT_READY',
      });
      await t.http.get('/probe/beta').set(auth(waiter)).expect(404);
      const list = await t.http.get('/ops/flags').set(auth(owner)).expect(503);
      expect(list.body).toMatchObject({ code: 'SCHEMA_NOT_MIGRATED' });
      await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'while-gone' }).expect(503);
    } finally {
      await t.prisma.$executeRawUnsafe('ALTER TABLE feature_flags_away RENAME TO feature_flags');
    }
  });
});
