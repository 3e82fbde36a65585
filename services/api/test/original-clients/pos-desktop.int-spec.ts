import bcrypt from 'bcrypt';
import fc from 'fast-check';
import { DEMO_PASSWORD, DEMO_POS_STAFF } from '@chefcloud/db';
import { EmployeeProfilesRepository } from '../../src/auth/pos/employee-profiles.repository';
import { MaintenanceService } from '../../src/maintenance/maintenance.service';
import { PLATFORMS } from '../../src/auth/auth.types';
import { recordFigures } from '../support/reliability';
import { DEMO, startTestApp, type TestApp } from '../support/test-app';
import { jwtPayload, webClient, webLogin } from './clients';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const { manager, waiter } = DEMO_POS_STAFF;

/**
 * The original desktop POS and the API e2e suites signing in with a PIN or a badge, and the
 * security page enrolling badges, against the real API on PostgreSQL
 * (../shared/reference/original-clients.md, section 5).
 */
describe('original desktop POS: PIN, badge swipe, badge enrolment (real PostgreSQL)', () => {
  let t: TestApp;
  let branchId: string;
  let otherBranchId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: manager.email } });
    branchId = user.branchId as string;
    const other = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.otherOwner } });
    otherBranchId = other.branchId as string;
  });
  afterAll(async () => {
    await t.close();
  });

  const pinLogin = (body: object) => t.http.post('/auth/pin-login').send(body);
  const swipe = (body: object) => t.http.post('/auth/msr-swipe').send(body);

  describe('POST /auth/pin-login {branchId, employeeCode, pin}', () => {
    it('signs the demo manager in: the login shape, a POS_DESKTOP session of the device lifetime', async () => {
      const before = Date.now();
      const res = await pinLogin({ branchId, employeeCode: manager.employeeCode, pin: manager.pin }).expect(200);
      expect(res.body).toMatchObject({
        access_token: expect.any(String),
        user: { email: manager.email, firstName: 'Marco', lastName: 'Manager', roleLevel: 'L4', jobRole: 'MANAGER' },
        session: { platform: 'POS_DESKTOP' },
      });
      const expiresAt = Date.parse(res.body.session.expiresAt as string);
      expect(expiresAt - before).toBeGreaterThanOrEqual(12 * 3600_000 - 5_000);
      expect(expiresAt - before).toBeLessThanOrEqual(12 * 3600_000 + 60_000);
      expect(jwtPayload(res.body.access_token as string).orgId).toBe(res.body.user.orgId);
      await webClient(t, res.body.access_token as string)
        .get('/me')
        .expect(200);
    });

    it('signs the demo waiter in with her PIN', async () => {
      const res = await pinLogin({ branchId, employeeCode: waiter.employeeCode, pin: waiter.pin }).expect(200);
      expect(res.body.user).toMatchObject({ email: waiter.email, jobRole: 'WAITER' });
    });

    it('answers the same 401 for a wrong PIN, an unknown code, another branch and an inactive user', async () => {
      const bodies: object[] = [
        { branchId, employeeCode: manager.employeeCode, pin: '9999' },
        { branchId, employeeCode: 'NOBODY-01', pin: manager.pin },
        { branchId: otherBranchId, employeeCode: manager.employeeCode, pin: manager.pin },
        { branchId: 'no-such-branch', employeeCode: manager.employeeCode, pin: manager.pin },
      ];
      const answers = [];
      for (const body of bodies) answers.push((await pinLogin(body).expect(401)).body as Record<string, unknown>);
      const waiterRow = await t.prisma.user.update({ where: { email: waiter.email }, data: { isActive: false } });
      try {
        answers.push(
          (await pinLogin({ branchId, employeeCode: waiter.employeeCode, pin: waiter.pin }).expect(401)).body as Record<
            string,
            unknown
          >,
        );
      } finally {
        await t.prisma.user.update({ where: { id: waiterRow.id }, data: { isActive: true } });
      }
      for (const a of answers) expect(a).toMatchObject({ code: 'INVALID_CREDENTIALS', message: answers[0].message });
    });

    it('answers 400 when fields are missing (the web PIN tab sends only {pin}, as the original also refused)', async () => {
      const res = await webClient(t).post('/auth/pin-login', { pin: '1234' }).expect(400);
      expect(res.body.message).toEqual(expect.any(String));
      await pinLogin({ branchId, employeeCode: manager.employeeCode, pin: '12' }).expect(400);
    });

    it('stores PINs as bcrypt hashes; employee codes are unique per org, not across orgs', async () => {
      const profile = await t.prisma.employeeProfile.findFirstOrThrow({
        where: { employeeCode: manager.employeeCode },
      });
      expect(profile.pinHash).toMatch(/^\$2[aby]\$\d\d\$/);
      const other = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.otherOwner } });
      // The same code in another org is a different employee...
      await t.prisma.employeeProfile.create({
        data: { userId: other.id, orgId: other.orgId, employeeCode: manager.employeeCode },
      });
      // ...but not twice in one org.
      const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.owner } });
      await expect(
        t.prisma.employeeProfile.create({
          data: { userId: owner.id, orgId: owner.orgId, employeeCode: manager.employeeCode },
        }),
      ).rejects.toThrow();
      await pinLogin({ branchId, employeeCode: manager.employeeCode, pin: manager.pin }).expect(200);
      await t.prisma.employeeProfile.delete({ where: { userId: other.id } });
    });
  });

  describe('POST /auth/msr-swipe {badgeId, branchId?}', () => {
    it('signs the waiter in with her badge; the desktop reads user.email', async () => {
      const res = await swipe({ badgeId: waiter.badge }).expect(200);
      expect(res.body).toMatchObject({
        access_token: expect.any(String),
        user: { email: waiter.email, roleLevel: 'L1', jobRole: 'WAITER' },
        session: { platform: 'POS_DESKTOP' },
      });
      await swipe({ badgeId: waiter.badge, branchId }).expect(200);
    });

    it('401 for an unknown badge, another branch or an inactive user; 400 for payment-card data', async () => {
      const unknown = await swipe({ badgeId: 'CLOUDBADGE:NOT-A-BADGE' }).expect(401);
      const branch = await swipe({ badgeId: manager.badge, branchId: otherBranchId }).expect(401);
      expect(branch.body.message).toBe(unknown.body.message);
      const row = await t.prisma.user.update({ where: { email: manager.email }, data: { isActive: false } });
      try {
        await swipe({ badgeId: manager.badge }).expect(401);
      } finally {
        await t.prisma.user.update({ where: { id: row.id }, data: { isActive: true } });
      }
      const card = await swipe({ badgeId: '%B4111111111111111^DOE/JOHN^2512101000000000000?' }).expect(400);
      expect(card.body.message).toBe('Payment card data rejected');
      await swipe({ badgeId: ';4111111111111111=25121010000000000?' }).expect(400);
      await swipe({}).expect(400);
    });

    it('never stores a badge in clear', async () => {
      const rows = await t.prisma.$queryRaw<
        { row: string }[]
      >`SELECT row_to_json(p)::text AS row FROM employee_profiles p`;
      for (const { row } of rows) {
        expect(row).not.toContain(waiter.badge.split(':')[1]);
        expect(row).not.toContain(manager.badge.split(':')[1]);
      }
    });
  });

  describe('POST /auth/enroll-badge {userId, badgeId}', () => {
    it('lets an L4 enrol a badge for a user of the org; the new badge signs in, the old one no longer', async () => {
      const managerToken = (await webLogin(t, DEMO.manager, DEMO_PASSWORD)).access_token;
      const target = await t.prisma.user.findUniqueOrThrow({ where: { email: waiter.email } });
      const res = await webClient(t, managerToken)
        .post('/auth/enroll-badge', { userId: target.id, badgeId: 'WAIT-NEW-01' })
        .expect(200);
      expect(res.body).toEqual({ success: true });
      const signedIn = await swipe({ badgeId: 'CLOUDBADGE:WAIT-NEW-01' }).expect(200);
      expect(signedIn.body.user.email).toBe(waiter.email);
      await swipe({ badgeId: waiter.badge }).expect(401);
    });

    it('creates the profile (with a generated employee code) for a user without one', async () => {
      const ownerToken = (await webLogin(t, DEMO.owner, DEMO_PASSWORD)).access_token;
      const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.owner } });
      await webClient(t, ownerToken).post('/auth/enroll-badge', { userId: owner.id, badgeId: 'OWNER-01' }).expect(200);
      const profile = await t.prisma.employeeProfile.findUniqueOrThrow({ where: { userId: owner.id } });
      expect(profile.employeeCode).toMatch(/^EMP-\d+-[0-9A-F]{4}$/);
      expect((await swipe({ badgeId: 'OWNER-01' }).expect(200)).body.user.email).toBe(DEMO.owner);
    });

    it('refuses: below L4 (403), no token (401), another org (404), a taken badge (409), bad characters (400)', async () => {
      const managerToken = (await webLogin(t, DEMO.manager, DEMO_PASSWORD)).access_token;
      const waiterToken = (await webLogin(t, DEMO.waiter, DEMO_PASSWORD)).access_token;
      const waiterRow = await t.prisma.user.findUniqueOrThrow({ where: { email: waiter.email } });
      const managerRow = await t.prisma.user.findUniqueOrThrow({ where: { email: manager.email } });
      const other = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.otherOwner } });
      await webClient(t, waiterToken)
        .post('/auth/enroll-badge', { userId: waiterRow.id, badgeId: 'SELF-01' })
        .expect(403);
      await webClient(t).post('/auth/enroll-badge', { userId: waiterRow.id, badgeId: 'X-01' }).expect(401);
      await webClient(t, managerToken).post('/auth/enroll-badge', { userId: other.id, badgeId: 'X-02' }).expect(404);
      const taken = await webClient(t, managerToken)
        .post('/auth/enroll-badge', { userId: waiterRow.id, badgeId: manager.badge })
        .expect(409);
      expect(taken.body.message).toBe('Badge ID already assigned to another user');
      const bad = await webClient(t, managerToken)
        .post('/auth/enroll-badge', { userId: managerRow.id, badgeId: 'bad badge!' })
        .expect(400);
      expect(JSON.stringify(bad.body)).toContain('Badge ID must be alphanumeric');
      await webClient(t, managerToken).post('/auth/enroll-badge', { userId: managerRow.id }).expect(400);
    });
  });
  it('during a blocking maintenance window the POS still signs in (PIN and badge), while enrolment (a write) is 503', async () => {
    const manager0 = await t.prisma.user.findUniqueOrThrow({ where: { email: manager.email } });
    const window = await t.prisma.maintenanceWindow.create({
      data: {
        orgId: manager0.orgId,
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 600_000),
        message: 'Till upgrade',
        blockWrites: true,
      },
    });
    t.app.get(MaintenanceService).invalidate();
    try {
      await pinLogin({ branchId, employeeCode: manager.employeeCode, pin: manager.pin }).expect(200);
      await swipe({ badgeId: manager.badge }).expect(200);
      const managerToken = (await webLogin(t, DEMO.manager, DEMO_PASSWORD)).access_token;
      const blocked = await webClient(t, managerToken)
        .post('/auth/enroll-badge', { userId: manager0.id, badgeId: 'DURING-01' })
        .expect(503);
      expect(blocked.body).toMatchObject({ code: 'MAINTENANCE', message: 'Till upgrade' });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.prisma.maintenanceWindow.delete({ where: { id: window.id } });
      t.app.get(MaintenanceService).invalidate();
    }
  });
});

describe('POS sign-in throttling and timing (real PostgreSQL)', () => {
  describe('throttled like password login: per credential and per client address', () => {
    let t: TestApp;
    let branchId: string;
    beforeAll(async () => {
      t = await startTestApp({
        LOGIN_THROTTLE_IP_LIMIT: '5',
        LOGIN_THROTTLE_IP_WINDOW_SECONDS: '60',
        LOGIN_THROTTLE_ACCOUNT_LIMIT: '3',
        LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS: '900',
      });
      branchId = (await t.prisma.user.findUniqueOrThrow({ where: { email: manager.email } })).branchId as string;
    });
    afterAll(async () => {
      await t.close();
    });
    const from = (ip: string) => ({
      pin: (body: object) => t.http.post('/auth/pin-login').set('X-Forwarded-For', ip).send(body),
      swipe: (body: object) => t.http.post('/auth/msr-swipe').set('X-Forwarded-For', ip).send(body),
    });

    it('locks a PIN credential after its failure limit, from any address (429 + Retry-After), even with the right PIN', async () => {
      const body = { branchId, employeeCode: manager.employeeCode, pin: '0000' };
      for (let i = 0; i < 3; i++) await from(`10.1.0.${i}`).pin(body).expect(401);
      const locked = await from('10.1.0.9')
        .pin({ ...body, pin: manager.pin })
        .expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
      // Another employee is not affected.
      await from('10.1.0.9').pin({ branchId, employeeCode: waiter.employeeCode, pin: waiter.pin }).expect(200);
    });

    it('refuses an address after its failure limit across codes and badges (429)', async () => {
      const ip = '10.2.0.1';
      for (let i = 0; i < 3; i++)
        await from(ip)
          .pin({ branchId, employeeCode: `GUESS-${i}`, pin: '1111' })
          .expect(401);
      for (let i = 0; i < 2; i++)
        await from(ip)
          .swipe({ badgeId: `CLOUDBADGE:GUESS-${i}` })
          .expect(401);
      await from(ip).swipe({ badgeId: 'CLOUDBADGE:GUESS-9' }).expect(429);
      await from(ip).pin({ branchId, employeeCode: 'GUESS-9', pin: '1111' }).expect(429);
      await from('10.2.0.2').swipe({ badgeId: waiter.badge }).expect(200);
    });

    it('50 parallel wrong PINs for one credential from 50 addresses: at most LIMIT PIN checks, the rest 429 unchecked', async () => {
      const profile = await t.prisma.employeeProfile.findFirstOrThrow({
        where: { employeeCode: waiter.employeeCode },
      });
      const compare = jest.spyOn(bcrypt, 'compare');
      const statuses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          from(`100.64.3.${i + 1}`)
            .pin({ branchId, employeeCode: waiter.employeeCode, pin: '0000' })
            .then((r) => ({ status: r.status, code: (r.body as { code?: string }).code })),
        ),
      );
      const evaluated = compare.mock.calls.filter(([, hash]) => hash === profile.pinHash).length;
      compare.mockRestore();
      recordFigures('pos-pin-burst', { attempts: 50, pinChecks: evaluated, limit: 3 });
      expect(evaluated).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s.status === 401)).toHaveLength(evaluated);
      expect(statuses.filter((s) => s.status === 429 && s.code === 'TOO_MANY_ATTEMPTS')).toHaveLength(50 - evaluated);
      // The right PIN after the burst: refused without a check.
      const compareAfter = jest.spyOn(bcrypt, 'compare');
      await from('100.64.3.200').pin({ branchId, employeeCode: waiter.employeeCode, pin: waiter.pin }).expect(429);
      const checkedAfter = compareAfter.mock.calls.filter(([, hash]) => hash === profile.pinHash).length;
      compareAfter.mockRestore();
      expect(checkedAfter).toBe(0);
    });

    it("another branch of the org never checks the employee's real PIN (no extra guesses per branch)", async () => {
      const manager0 = await t.prisma.user.findUniqueOrThrow({ where: { email: manager.email } });
      const second = await t.prisma.branch.create({ data: { orgId: manager0.orgId, name: 'Demo Bistro Uptown' } });
      const profile = await t.prisma.employeeProfile.findUniqueOrThrow({ where: { userId: manager0.id } });
      const compare = jest.spyOn(bcrypt, 'compare');
      for (let i = 0; i < 3; i++) {
        await from(`100.64.4.${i + 1}`)
          .pin({ branchId: second.id, employeeCode: manager.employeeCode, pin: manager.pin })
          .expect(401);
      }
      const realChecks = compare.mock.calls.filter(([, hash]) => hash === profile.pinHash).length;
      const allChecks = compare.mock.calls.length;
      compare.mockRestore();
      expect(realChecks).toBe(0);
      expect(allChecks).toBe(3); // the same work each time: one comparison (against the dummy hash)
    });

    it('50 parallel swipes of one unknown badge from 50 addresses: at most LIMIT lookups, the rest 429', async () => {
      const lookup = jest.spyOn(t.app.get(EmployeeProfilesRepository), 'findByBadgeHash');
      const statuses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          from(`100.64.5.${i + 1}`)
            .swipe({ badgeId: 'CLOUDBADGE:GUESSED-BADGE' })
            .then((r) => r.status),
        ),
      );
      const lookups = lookup.mock.calls.length;
      lookup.mockRestore();
      recordFigures('pos-badge-burst', { attempts: 50, badgeLookups: lookups, limit: 3 });
      expect(lookups).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s === 401)).toHaveLength(lookups);
      expect(statuses.filter((s) => s === 429)).toHaveLength(50 - lookups);
    });
  });

  describe('timing', () => {
    let t: TestApp;
    let branchId: string;
    beforeAll(async () => {
      t = await startTestApp({ BCRYPT_COST: '10' });
      branchId = (await t.prisma.user.findUniqueOrThrow({ where: { email: manager.email } })).branchId as string;
    });
    afterAll(async () => {
      await t.close();
    });

    it('an unknown employee code and a wrong PIN take the same time (medians within 25% over 20 each)', async () => {
      const time = async (employeeCode: string): Promise<number> => {
        const started = process.hrtime.bigint();
        const res = await t.http.post('/auth/pin-login').send({ branchId, employeeCode, pin: '0000' });
        expect(res.status).toBe(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      await time(manager.employeeCode);
      await time('WARM-UP');
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 20; i++) {
        unknown.push(await time(`NOBODY-${i}`));
        wrong.push(await time(manager.employeeCode));
      }
      const [mu, mw] = [median(unknown), median(wrong)];
      const difference = Math.abs(mu - mw) / Math.max(mu, mw);
      process.stdout.write(
        `[timing] PIN: median unknown code ${mu.toFixed(1)} ms, wrong PIN ${mw.toFixed(1)} ms, difference ${(difference * 100).toFixed(1)}%\n`,
      );
      expect(difference).toBeLessThan(0.25);
    });
  });
});

/**
 * Property-style bad input: bodies with one field of the wrong type, shape or length, a missing
 * required field, a null, or an unknown field. Every one must be 400 in the error envelope —
 * never a 401 that looked a credential up, never a 5xx.
 */
describe('POS sign-in: any bad body is 400, never 500 (property-based, real PostgreSQL)', () => {
  let t: TestApp;
  let managerToken: string;
  let waiterId: string;
  beforeAll(async () => {
    t = await startTestApp();
    managerToken = await t.login(DEMO.manager);
    waiterId = (await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.waiter } })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const notAString = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  );
  const tooLong = (max: number) => fc.string({ minLength: max + 1, maxLength: max + 40 });
  const badPin = fc.oneof(
    notAString,
    fc.string({ maxLength: 20 }).filter((s) => !/^\d{4,12}$/.test(s)),
    fc.constant(null),
  );
  const badPlatform = fc.oneof(
    notAString,
    fc.string({ maxLength: 30 }).filter((s) => !(PLATFORMS as readonly string[]).includes(s)),
    fc.constant(null),
  );
  const badBadge = fc.oneof(
    notAString,
    fc.string({ maxLength: 80 }).filter((s) => !/^(CLOUDBADGE:)?[A-Za-z0-9_-]{1,64}$/.test(s)),
    fc.constant(null),
  );
  const unknownField = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((k) => !['branchId', 'employeeCode', 'pin', 'platform', 'badgeId', 'userId'].includes(k));

  /** A valid body with one change that makes it invalid. */
  function corrupted(
    valid: Record<string, unknown>,
    bad: Record<string, fc.Arbitrary<unknown>>,
    required: string[],
  ): fc.Arbitrary<Record<string, unknown>> {
    return fc.oneof(
      ...Object.entries(bad).map(([field, value]) => value.map((v) => ({ ...valid, [field]: v }))),
      fc.constantFrom(...required).map((field) => {
        const body = { ...valid };
        delete body[field];
        return body;
      }),
      fc.tuple(unknownField, fc.jsonValue()).map(([k, v]) => ({ ...valid, [k]: v })),
    );
  }

  const answers: Record<string, Record<number, number>> = {};
  const check = async (
    name: string,
    send: (body: Record<string, unknown>) => Promise<{ status: number; body: unknown }>,
    bodies: fc.Arbitrary<Record<string, unknown>>,
  ) => {
    answers[name] = {};
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await send(body);
        answers[name][res.status] = (answers[name][res.status] ?? 0) + 1;
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          statusCode: 400,
          code: expect.any(String),
          message: expect.any(String),
          requestId: expect.any(String),
        });
      }),
      { numRuns: 60 },
    );
  };

  it('POST /auth/pin-login', async () => {
    const valid = { branchId: 'b1', employeeCode: 'E1', pin: '1234', platform: 'POS_DESKTOP' };
    await check(
      'pin-login',
      (body) => t.http.post('/auth/pin-login').send(body),
      corrupted(
        valid,
        {
          branchId: fc.oneof(notAString, tooLong(64), fc.constant(''), fc.constant(null)),
          employeeCode: fc.oneof(notAString, tooLong(64), fc.constant(''), fc.constant(null)),
          pin: badPin,
          platform: badPlatform,
        },
        ['branchId', 'employeeCode', 'pin'],
      ),
    );
  });

  it('POST /auth/msr-swipe', async () => {
    const valid = { badgeId: 'CLOUDBADGE:X-1', branchId: 'b1', platform: 'POS_DESKTOP' };
    await check(
      'msr-swipe',
      (body) => t.http.post('/auth/msr-swipe').send(body),
      corrupted(
        valid,
        {
          badgeId: fc.oneof(notAString, tooLong(256), fc.constant(''), fc.constant(null)),
          branchId: fc.oneof(notAString, tooLong(64), fc.constant(null)),
          platform: badPlatform,
        },
        ['badgeId'],
      ),
    );
  });

  it('POST /auth/enroll-badge (as an L4)', async () => {
    const valid = { userId: waiterId, badgeId: 'PROP-01' };
    await check(
      'enroll-badge',
      (body) => t.http.post('/auth/enroll-badge').set('Authorization', `Bearer ${managerToken}`).send(body),
      corrupted(
        valid,
        { userId: fc.oneof(notAString, tooLong(64), fc.constant(''), fc.constant(null)), badgeId: badBadge },
        ['userId', 'badgeId'],
      ),
    );
    recordFigures('pos-bad-input', answers);
  });
});
