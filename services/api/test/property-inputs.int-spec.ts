/**
 * Property-based input layer (fast-check) over every DTO and every route that takes input:
 * each field independently missing, null, of a wrong type, at a boundary, or an extreme instant,
 * one field at a time from a valid body and in random combinations. The property: every answer
 * is 2xx or 4xx, every 4xx is the error envelope { statusCode, code, message, requestId } — never
 * a 5xx, never another shape — and a rejected request leaves every table unchanged. With one
 * field changed: `null` is 400 naming the field (except `scopes` and `message`, where null
 * clears), and an instant outside 1970–9999 in UTC (after its offset) is never accepted.
 */
import fc from 'fast-check';
import type { Response } from 'supertest';
import { DEMO_PASSWORD } from '@chefcloud/db';
import { recordFigures } from './support/reliability';
import { createPlatformAdmin, DEMO, startTestApp, type TestApp } from './support/test-app';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const MISSING = Symbol('missing');

/** Any value a client could send in a JSON field, weighted towards the awkward ones. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.string({ maxLength: 20 }),
);
const boundaryString = fc.oneof(
  fc.constant(''),
  fc.constant(' '),
  fc.constant('x'.repeat(500)),
  fc.constant('x'.repeat(501)),
  fc.constant('x'.repeat(5_000)),
  fc.constant('é\u202e<script>'),
  fc.string({ maxLength: 64 }),
);
const boundaryNumber = fc.constantFrom(-1, 0, 1, 99, 100, 101, 2 ** 31, -(2 ** 31) - 1, 1.5, Number.MAX_SAFE_INTEGER);
const extremeInstant = fc.oneof(
  fc.constantFrom(
    '9999-12-31T20:00:00-23:00',
    '9999-12-31T23:59:59.999Z',
    '0000-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '1970-01-01T00:30:00+01:00',
    '275760-09-13T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-11-26T02:00:00',
    '2026-11-26',
  ),
  fc
    .date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
);

/** A field: missing, null, wrong type, or one of `valid`. */
function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<T | null | typeof MISSING | unknown> {
  return fc.oneof(
    { arbitrary: fc.constant(MISSING), weight: 2 },
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: wrongType, weight: 2 },
    { arbitrary: valid, weight: 3 },
  );
}

function body(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(fields).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== MISSING)));
}

const date = field(extremeInstant);
const text = field(boundaryString);
const bool = field(fc.boolean());
const scopes = field(
  fc.record(
    {
      roles: field(fc.array(fc.constantFrom('L1', 'L2', 'L3', 'L4', 'L5', 'L9', ''), { maxLength: 6 })),
      branchIds: field(fc.array(boundaryString, { maxLength: 3 })),
    },
    { requiredKeys: [] },
  ),
);

const validScopes = fc.record(
  {
    roles: fc.array(fc.constantFrom('L1', 'L2', 'L3', 'L4', 'L5', 'L9', ''), { maxLength: 6 }),
    branchIds: fc.array(boundaryString, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('property: every input field × {missing, null, wrong type, boundary, extreme instant} → 2xx/4xx in the envelope', () => {
  let t: TestApp;
  let owner: string;
  let admin: string;
  let windowId: string;
  const answers: Record<string, Record<number, number>> = {};
  let rejections = 0;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const validWindow = {
    startsAt: '2098-01-01T00:00:00Z',
    endsAt: '2098-01-01T01:00:00Z',
    message: 'm',
    blockWrites: false,
  };
  const windowFields = {
    startsAt: extremeInstant,
    endsAt: extremeInstant,
    message: boundaryString,
    blockWrites: fc.constant(false), // a window in force that blocks writes would change what the next samples get
    global: fc.boolean(),
  };
  /** A created window is removed, so windows never accumulate (nor block anything). */
  const removeCreated = async (_value: unknown, res: Response) => {
    if (res.status === 201) await t.prisma.maintenanceWindow.delete({ where: { id: (res.body as { id: string }).id } });
  };
  /** Put the window back in the far future, so the next sample starts from a known state. */
  const resetWindow = () =>
    t.prisma.maintenanceWindow.update({
      where: { id: windowId },
      data: {
        startsAt: new Date('2099-01-01T00:00:00Z'),
        endsAt: new Date('2099-01-01T01:00:00Z'),
        blockWrites: false,
      },
    });

  beforeAll(async () => {
    t = await startTestApp({
      PLATFORM_ADMIN_ORG_SLUG: 'platform',
      MAINTENANCE_CACHE_TTL_MS: '0',
      MAINTENANCE_MAX_OPEN_WINDOWS: '1000',
    });
    owner = await t.login(DEMO.owner);
    admin = await t.login(await createPlatformAdmin(t));
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'prop-flag' }).expect(201);
    const w = await t.http
      .post('/ops/maintenance')
      .set(auth(owner))
      .send({ startsAt: '2099-01-01T00:00:00Z', endsAt: '2099-01-01T01:00:00Z', blockWrites: false })
      .expect(201);
    windowId = (w.body as { id: string }).id;
    tables = (
      await t.prisma.$queryRaw<{ name: string }[]>`
        SELECT tablename AS name FROM pg_tables
        WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename`
    ).map((r) => r.name);
    expect(tables.length).toBeGreaterThanOrEqual(8);
  });
  afterAll(async () => {
    const total = Object.values(answers).reduce(
      (n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0),
      0,
    );
    recordFigures('property-inputs', {
      runsPerProperty: RUNS,
      requests: total,
      rejectionsWithDatabaseUnchanged: rejections,
      fiveXx: Object.values(answers).reduce(
        (n, byStatus) => n + Object.entries(byStatus).reduce((a, [s, c]) => a + (Number(s) >= 500 ? c : 0), 0),
        0,
      ),
      byRoute: answers,
    });
    await t.close();
  });

  /** The property itself: 2xx, or a 4xx in the envelope. Records the answer for the figures. */
  const holds = (route: string, res: Response): boolean => {
    (answers[route] ??= {})[res.status] = (answers[route][res.status] ?? 0) + 1;
    if (res.status >= 200 && res.status < 300) return true;
    if (res.status < 400 || res.status >= 500) return false;
    const b = res.body as Record<string, unknown>;
    return (
      b.statusCode === res.status &&
      typeof b.code === 'string' &&
      typeof b.message === 'string' &&
      typeof b.requestId === 'string'
    );
  };

  /** A digest of every table (one query): a rejected request must leave it as it was. */
  let tables: string[] = [];
  const digest = async (except: string[] = []): Promise<string> => {
    const sql = tables
      .filter((name) => !except.includes(name))
      .map(
        (name) =>
          `SELECT '${name}' AS t, count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS d FROM "${name}" x`,
      )
      .join(' UNION ALL ');
    const rows = await t.prisma.$queryRawUnsafe<{ t: string; d: string }[]>(sql);
    return rows.map((r) => `${r.t}=${r.d}`).join(',');
  };

  interface CheckOptions<T> {
    /** Extra expectations on one answer (beyond the property); return a complaint or undefined. */
    expect?: (value: T, res: Response) => string | undefined;
    /** Run after the comparison (put a record back for the next sample). */
    after?: (value: T, res: Response) => Promise<unknown>;
    /** Tables a rejection may legitimately change (a failed login counts in login_throttle). */
    rejectionMayWrite?: string[];
  }

  const check = async <T>(
    route: string,
    arb: fc.Arbitrary<T>,
    send: (value: T) => Promise<Response>,
    options: CheckOptions<T> = {},
  ) => {
    await fc.assert(
      fc.asyncProperty(arb, async (value) => {
        const before = await digest(options.rejectionMayWrite);
        const res = await send(value);
        try {
          if (!holds(route, res)) throw new Error(`${route} answered ${res.status} ${JSON.stringify(res.body)}`);
          const complaint = options.expect?.(value, res);
          if (complaint) throw new Error(`${route}: ${complaint}; answered ${res.status} ${JSON.stringify(res.body)}`);
          if (res.status >= 400) {
            rejections++;
            if ((await digest(options.rejectionMayWrite)) !== before)
              throw new Error(`${route} answered ${res.status} but changed the database`);
          }
        } finally {
          await options.after?.(value, res);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 2026_11_26) },
    );
  };

  /**
   * One field changed in an otherwise valid body: removed, null, a wrong type, a boundary value
   * or (dates) an extreme instant. Every field of the DTO gets each kind in turn across the runs.
   */
  const oneField = (
    valid: Record<string, unknown>,
    values: Record<string, fc.Arbitrary<unknown>>,
  ): fc.Arbitrary<{ field: string; kind: string; body: Record<string, unknown> }> =>
    fc.constantFrom(...Object.keys(values)).chain((field) =>
      fc
        .oneof(
          fc.constant<[string, unknown]>(['missing', MISSING]),
          fc.constant<[string, unknown]>(['null', null]),
          wrongType.map((v): [string, unknown] => ['wrong type', v]),
          values[field].map((v): [string, unknown] => ['boundary', v]),
        )
        .map(([kind, v]) => {
          const body = { ...valid };
          if (v === MISSING) delete body[field];
          else body[field] = v;
          return { field, kind, body };
        }),
    );

  /** null in a field that null does not clear is 400 naming it; an instant outside 1970–9999 is never accepted. */
  const fieldRules =
    (nullClears: string[], dates: string[]) =>
    ({ field, kind, body }: { field: string; kind: string; body: Record<string, unknown> }, res: Response) => {
      if (kind === 'null' && !nullClears.includes(field)) {
        if (res.status !== 400) return `null ${field} was not refused`;
        if (!JSON.stringify(res.body).includes(field)) return `the 400 for null ${field} does not name it`;
      }
      const v = body[field];
      if (dates.includes(field) && typeof v === 'string' && res.status < 300) {
        const at = Date.parse(v);
        const year = Number.isNaN(at) ? NaN : new Date(at).getUTCFullYear();
        if (/[zZ]|[+-]\d\d:\d\d$/.test(v) && !(year >= 1970 && year <= 9999))
          return `${field} ${v} is year ${year} in UTC and was accepted`;
      }
      return undefined;
    };

  it('POST /auth/login { email, password, platform }', async () => {
    await check(
      'POST /auth/login',
      body({
        email: field(fc.oneof(fc.emailAddress(), boundaryString, fc.constant(DEMO.waiter))),
        password: text,
        platform: field(
          fc.constantFrom('WEB_BACKOFFICE', 'POS_DESKTOP', 'KDS_SCREEN', 'MOBILE_APP', 'OTHER', 'TOASTER'),
        ),
      }),
      (b) => t.http.post('/auth/login').set('X-Forwarded-For', '100.99.0.1').send(b),
      { rejectionMayWrite: ['login_throttle'] },
    );
    await check(
      'POST /auth/login (one field)',
      oneField(
        { email: DEMO.waiter, password: DEMO_PASSWORD, platform: 'POS_DESKTOP' },
        {
          email: fc.oneof(fc.emailAddress(), boundaryString),
          password: boundaryString,
          platform: fc.constantFrom('WEB_BACKOFFICE', 'KDS_SCREEN', 'TOASTER', ''),
        },
      ),
      ({ body: b }) => t.http.post('/auth/login').set('X-Forwarded-For', '100.99.0.2').send(b),
      { expect: fieldRules([], []), rejectionMayWrite: ['login_throttle'] },
    );
  });

  it('POST /ops/flags { key, description, active, rolloutPct, scopes, global, reason }', async () => {
    await check(
      'POST /ops/flags',
      fc.tuple(
        body({
          key: field(fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/), boundaryString)),
          description: text,
          active: bool,
          rolloutPct: field(boundaryNumber),
          scopes,
          global: bool,
          reason: text,
        }),
        fc.boolean(),
      ),
      ([b, asAdmin]) =>
        t.http
          .post('/ops/flags')
          .set(auth(asAdmin ? admin : owner))
          .send(b),
    );
    await check(
      'POST /ops/flags (one field)',
      oneField(
        { key: 'prop-one', description: 'd', active: false, rolloutPct: 50, scopes: { roles: ['L3'] }, reason: 'r' },
        {
          key: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/), boundaryString),
          description: boundaryString,
          active: fc.boolean(),
          rolloutPct: boundaryNumber,
          scopes: validScopes,
          global: fc.boolean(),
          reason: boundaryString,
        },
      ),
      ({ body: b }) => t.http.post('/ops/flags').set(auth(owner)).send(b),
      { expect: fieldRules(['scopes'], []) },
    );
  });

  it('PATCH /ops/flags/:key { description, rolloutPct, scopes, reason }, toggle and kill { reason }', async () => {
    await check(
      'PATCH /ops/flags/:key',
      fc.tuple(
        body({ description: text, rolloutPct: field(boundaryNumber), scopes, reason: text }),
        fc.oneof(fc.constant('prop-flag'), fc.string({ maxLength: 80 })),
      ),
      ([b, key]) =>
        t.http
          .patch(`/ops/flags/${encodeURIComponent(key)}`)
          .set(auth(owner))
          .send(b),
    );
    await check(
      'PATCH /ops/flags/:key (one field)',
      oneField(
        { description: 'd', rolloutPct: 50, scopes: { roles: ['L3'] }, reason: 'r' },
        { description: boundaryString, rolloutPct: boundaryNumber, scopes: validScopes, reason: boundaryString },
      ),
      ({ body: b }) => t.http.patch('/ops/flags/prop-flag').set(auth(owner)).send(b),
      { expect: fieldRules(['scopes'], []) },
    );
    await check('PATCH /ops/flags/:key/toggle', body({ reason: text }), (b) =>
      t.http.patch('/ops/flags/prop-flag/toggle').set(auth(owner)).send(b),
    );
    await check('POST /ops/flags/:key/kill', body({ reason: text }), (b) =>
      t.http.post('/ops/flags/prop-flag/kill').set(auth(owner)).send(b),
    );
  });

  it('GET /ops/flags/:key/audit and /ops/maintenance/list with any query', async () => {
    const query = fc.dictionary(
      fc.constantFrom('page', 'pageSize', 'cursor', 'from', 'to', 'other'),
      fc.oneof(fc.string({ maxLength: 30 }), extremeInstant, boundaryNumber.map(String)),
      { maxKeys: 4 },
    );
    await check('GET /ops/flags/:key/audit', query, (q) =>
      t.http.get('/ops/flags/prop-flag/audit').set(auth(owner)).query(q),
    );
    await check('GET /ops/maintenance/list', query, (q) =>
      t.http.get('/ops/maintenance/list').set(auth(owner)).query(q),
    );
  });

  it('POST /ops/maintenance { startsAt, endsAt, message, blockWrites, global } (windows never in force: they are removed after each)', async () => {
    await check(
      'POST /ops/maintenance',
      body({ startsAt: date, endsAt: date, message: text, blockWrites: field(fc.constant(false)), global: bool }),
      (b) => t.http.post('/ops/maintenance').set(auth(owner)).send(b),
      { after: removeCreated },
    );
    await check(
      'POST /ops/maintenance (one field)',
      oneField(validWindow, windowFields),
      ({ body: b }) => t.http.post('/ops/maintenance').set(auth(owner)).send(b),
      { expect: fieldRules(['message'], ['startsAt', 'endsAt']), after: removeCreated },
    );
  });

  it('PATCH /ops/maintenance/:id { startsAt, endsAt, message, blockWrites } and any :id', async () => {
    await check(
      'PATCH /ops/maintenance/:id',
      fc.tuple(
        body({ startsAt: date, endsAt: date, message: text, blockWrites: field(fc.constant(false)) }),
        fc.oneof({ arbitrary: fc.constant('WINDOW'), weight: 4 }, fc.string({ maxLength: 80 })),
      ),
      ([b, id]) =>
        t.http
          .patch(`/ops/maintenance/${id === 'WINDOW' ? windowId : encodeURIComponent(id)}`)
          .set(auth(owner))
          .send(b),
      { after: resetWindow },
    );
    await check(
      'PATCH /ops/maintenance/:id (one field)',
      oneField(
        { startsAt: validWindow.startsAt, endsAt: validWindow.endsAt, message: 'm', blockWrites: false },
        { startsAt: extremeInstant, endsAt: extremeInstant, message: boundaryString, blockWrites: fc.constant(false) },
      ),
      ({ body: b }) => t.http.patch(`/ops/maintenance/${windowId}`).set(auth(owner)).send(b),
      { expect: fieldRules(['message'], ['startsAt', 'endsAt']), after: resetWindow },
    );
  });
});
