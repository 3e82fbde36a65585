/**
 * Bad input, table-driven: every endpoint that takes input × hostile bodies, types, paths and
 * queries. Every answer must be a 4xx in the standard error envelope, never a 5xx, never a stack
 * trace, and no rejected request may change the database.
 */
import type { Response } from 'supertest';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

type FieldType = 'string' | 'email' | 'password' | 'flagKey' | 'int0to100' | 'bool' | 'date' | 'platform' | 'scopes';

interface Field {
  name: string;
  type: FieldType;
  required?: boolean;
  max?: number;
}

interface BodyEndpoint {
  method: 'post' | 'patch';
  path: string;
  auth: boolean;
  valid: Record<string, unknown>;
  fields: Field[];
}

const deep = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
const MB = 'x'.repeat(1024 * 1024);

/** Values that are wrong for a field of each type (never a valid value). */
function invalidValues(field: Field): [string, unknown][] {
  const notString: [string, unknown][] = [
    ['a number', 12345],
    ['a boolean', true],
    ['an array', ['a']],
    ['an object', { a: 1 }],
  ];
  const strings = (max: number): [string, unknown][] => [
    ...notString,
    [`${max + 1} characters`, 'y'.repeat(max + 1)],
    ['a NUL byte', 'a\u0000b'],
    ['a 1 MB string', MB],
    ['a deeply nested object', deep(200)],
  ];
  const byType: Record<FieldType, [string, unknown][]> = {
    string: strings(field.max ?? 500),
    password: [
      ...notString,
      ['an empty string', ''],
      ['201 characters', 'p'.repeat(201)],
      ['a 1 MB string', MB],
      ['a NUL byte', 'pass\u0000word'],
    ],
    email: [
      ...notString,
      ['not an email', 'not-an-email'],
      ['SQL', "' OR 1=1 --"],
      ['an empty string', ''],
      ['no domain', 'a@'],
      ['unicode junk', '💥@💥'],
      ['a NUL byte', 'owner\u0000@demo-bistro.test'],
      ['255 characters', `${'a'.repeat(245)}@test.test`],
    ],
    flagKey: [
      ...notString,
      ['spaces', 'Bad Key'],
      ['SQL', "x'; DROP TABLE feature_flags;--"],
      ['an empty string', ''],
      ['a leading dash', '-key'],
      ['65 characters', 'k'.repeat(65)],
      ['cyrillic', 'ключ'],
      ['a NUL byte', 'key\u0000'],
      ['a path', '../../etc/passwd'],
    ],
    int0to100: [
      ['a string', '50'],
      ['a fraction', 12.5],
      ['negative', -1],
      ['above 100', 101],
      ['huge', 1e300],
      ['a boolean', true],
      ['an array', [50]],
      ['an object', { value: 50 }],
    ],
    bool: [
      ['a string', 'true'],
      ['a number', 1],
      ['yes', 'yes'],
      ['an array', [true]],
      ['an object', { value: true }],
    ],
    date: [
      ['words', 'tomorrow'],
      ['an impossible day', '2026-02-30T00:00:00Z'],
      ['an impossible hour', '2026-11-26T25:00:00Z'],
      ['no time', '2026-11-26'],
      ['no zone', '2026-11-26T02:00:00'],
      ['epoch millis', 1764122400000],
      ['an empty string', ''],
      ['an array', ['2026-11-26T02:00:00Z']],
      ['an object', { date: '2026-11-26T02:00:00Z' }],
      ['year 0', '0000-01-01T00:00:00Z'],
    ],
    platform: [
      ['unknown', 'TOASTER'],
      ['lower case', 'web_backoffice'],
      ['an empty string', ''],
      ['a number', 1],
      ['an array', ['POS_DESKTOP']],
    ],
    scopes: [
      ['a string', 'L1'],
      ['an array', ['L1']],
      ['roles not a list', { roles: 'L1' }],
      ['an unknown role', { roles: ['L9'] }],
      ['numeric branch ids', { branchIds: [1, 2] }],
      ['an unknown key', { teams: ['a'] }],
      ['too many roles', { roles: ['L1', 'L1', 'L1', 'L1', 'L1', 'L1'] }],
      ['prototype pollution', JSON.parse('{"__proto__":{"polluted":true}}') as unknown],
    ],
  };
  const values = [...byType[field.type]];
  if (field.required) values.push(['missing', undefined], ['null', null]);
  return values;
}

/** Whole-body attacks that no endpoint accepts. */
const BODY_ATTACKS: [string, { raw: string; type?: string } | { json: unknown }][] = [
  ['malformed JSON (open brace)', { raw: '{' }],
  ['malformed JSON (trailing comma)', { raw: '{"a":1,}' }],
  ['malformed JSON (single quotes)', { raw: "{'a':1}" }],
  ['malformed JSON (missing comma)', { raw: '{"a":"x" "b":"y"}' }],
  ['malformed JSON (bare word)', { raw: 'nul' }],
  ['malformed JSON (NUL byte)', { raw: '\u0000' }],
  ['a JSON string', { raw: '"just a string"' }],
  ['a JSON number', { raw: '42' }],
  ['a JSON array', { json: [{ a: 1 }] }],
  ['an empty array', { json: [] }],
  ['wrong content type: text/plain', { raw: '{"a":1}', type: 'text/plain' }],
  ['wrong content type: form', { raw: 'a=1&b=2', type: 'application/x-www-form-urlencoded' }],
  ['wrong content type: xml', { raw: '<a>1</a>', type: 'application/xml' }],
  ['wrong content type: multipart', { raw: '--x\r\n\r\n--x--', type: 'multipart/form-data; boundary=x' }],
  ['a body over the size limit', { json: { blob: 'z'.repeat(150 * 1024) } }],
  ['JSON nested 5,000 levels', { raw: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` }],
  ['an array nested 20,000 levels', { raw: `${'['.repeat(20000)}${']'.repeat(20000)}` }],
  ['__proto__ pollution', { raw: '{"__proto__":{"isAdmin":true},"a":1}' }],
  ['constructor.prototype pollution', { json: { constructor: { prototype: { isAdmin: true } } } }],
  ['an unknown field', { json: { unexpected: 'field' } }],
  ['a NUL in a key', { raw: '{"a\\u0000b":1}' }],
  ['a lone surrogate', { raw: '{"a":"\\ud800"}' }],
];

describe('bad input fuzz: every endpoint answers 4xx in the envelope, never 5xx, and changes nothing', () => {
  let t: TestApp;
  let token: string;
  let windowId: string;
  const results: { name: string; status: number; ok: boolean; problem?: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'silent' });
    token = await t.login(DEMO.owner);
    const created = await t.http
      .post('/ops/maintenance')
      .set('Authorization', `Bearer ${token}`)
      .send({ startsAt: '2099-01-01T00:00:00Z', endsAt: '2099-01-01T01:00:00Z', message: 'future' })
      .expect(201);
    windowId = (created.body as { id: string }).id;
    await t.http
      .post('/ops/flags')
      .set('Authorization', `Bearer ${token}`)
      .send({ key: 'fuzz-flag', active: true })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const endpoints = (): BodyEndpoint[] => [
    {
      method: 'post',
      path: '/auth/login',
      auth: false,
      valid: { email: DEMO.owner, password: 'ChefCloud-demo-2025', platform: 'WEB_BACKOFFICE' },
      fields: [
        { name: 'email', type: 'email', required: true },
        { name: 'password', type: 'password', required: true },
        { name: 'platform', type: 'platform' },
      ],
    },
    {
      method: 'post',
      path: '/ops/maintenance',
      auth: true,
      valid: {
        startsAt: '2099-02-01T00:00:00Z',
        endsAt: '2099-02-01T01:00:00Z',
        message: 'm',
        blockWrites: true,
        global: false,
      },
      fields: [
        { name: 'startsAt', type: 'date', required: true },
        { name: 'endsAt', type: 'date', required: true },
        { name: 'message', type: 'string', max: 500 },
        { name: 'blockWrites', type: 'bool' },
        { name: 'global', type: 'bool' },
      ],
    },
    {
      method: 'patch',
      path: `/ops/maintenance/${windowId}`,
      auth: true,
      valid: { message: 'changed' },
      fields: [
        { name: 'startsAt', type: 'date' },
        { name: 'endsAt', type: 'date' },
        { name: 'message', type: 'string', max: 500 },
        { name: 'blockWrites', type: 'bool' },
      ],
    },
    {
      method: 'post',
      path: '/ops/flags',
      auth: true,
      valid: {
        key: 'new-fuzz-flag',
        description: 'd',
        active: false,
        rolloutPct: 10,
        scopes: { roles: ['L4'] },
        global: false,
        reason: 'r',
      },
      fields: [
        { name: 'key', type: 'flagKey', required: true },
        { name: 'description', type: 'string', max: 500 },
        { name: 'active', type: 'bool' },
        { name: 'rolloutPct', type: 'int0to100' },
        { name: 'scopes', type: 'scopes' },
        { name: 'global', type: 'bool' },
        { name: 'reason', type: 'string', max: 500 },
      ],
    },
    {
      method: 'patch',
      path: '/ops/flags/fuzz-flag',
      auth: true,
      valid: { description: 'd', rolloutPct: 10, scopes: { roles: ['L4'] }, reason: 'r' },
      fields: [
        { name: 'description', type: 'string', max: 500 },
        { name: 'rolloutPct', type: 'int0to100' },
        { name: 'scopes', type: 'scopes' },
        { name: 'reason', type: 'string', max: 500 },
      ],
    },
    {
      method: 'patch',
      path: '/ops/flags/fuzz-flag/toggle',
      auth: true,
      valid: { reason: 'r' },
      fields: [{ name: 'reason', type: 'string', max: 500 }],
    },
    {
      method: 'post',
      path: '/ops/flags/fuzz-flag/kill',
      auth: true,
      valid: { reason: 'r' },
      fields: [{ name: 'reason', type: 'string', max: 500 }],
    },
  ];

  /** Check one answer: a 4xx with the envelope and no stack trace. */
  function judge(name: string, res: Response): void {
    const body = res.body as Record<string, unknown>;
    const text = res.text ?? '';
    let problem: string | undefined;
    if (res.status >= 500) problem = `5xx: ${text.slice(0, 200)}`;
    else if (res.status < 400) problem = `accepted (${res.status}): ${text.slice(0, 200)}`;
    else if (
      body.statusCode !== res.status ||
      typeof body.code !== 'string' ||
      typeof body.message !== 'string' ||
      typeof body.requestId !== 'string'
    )
      problem = `not the envelope: ${text.slice(0, 200)}`;
    else if (/\bat .+\.(js|ts):\d+/.test(text) || /node_modules/.test(text)) problem = 'stack trace in the body';
    results.push({ name, status: res.status, ok: !problem, problem });
  }

  async function snapshot(): Promise<Record<string, string>> {
    const tables = [
      'orgs',
      'branches',
      'users',
      'sessions',
      'maintenance_windows',
      'feature_flags',
      'flag_audits',
      'login_throttle',
    ];
    const out: Record<string, string> = {};
    for (const table of tables) {
      const rows = await t.prisma.$queryRawUnsafe<{ digest: string | null; n: bigint }[]>(
        `SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest, count(*) AS n FROM "${table}" x`,
      );
      out[table] = `${rows[0].n}:${rows[0].digest}`;
    }
    return out;
  }

  it('rejects at least 500 hostile requests with a 4xx envelope, zero 5xx, and leaves the database unchanged', async () => {
    const before = await snapshot();
    const started = Date.now();
    const send = (endpoint: BodyEndpoint, body: { raw: string; type?: string } | { json: unknown } | undefined) => {
      let req = t.http[endpoint.method](endpoint.path);
      if (endpoint.auth) req = req.set('Authorization', `Bearer ${token}`);
      if (body && 'raw' in body) return req.set('Content-Type', body.type ?? 'application/json').send(body.raw);
      return req.set('Content-Type', 'application/json').send(JSON.stringify(body?.json));
    };

    for (const endpoint of endpoints()) {
      // one field wrong at a time, the rest valid
      for (const field of endpoint.fields) {
        for (const [label, value] of invalidValues(field)) {
          const body: Record<string, unknown> = { ...endpoint.valid };
          if (value === undefined) delete body[field.name];
          else body[field.name] = value;
          judge(
            `${endpoint.method.toUpperCase()} ${endpoint.path} ${field.name}: ${label}`,
            await send(endpoint, { json: body }),
          );
        }
      }
      // whole-body attacks, and the valid body plus extra fields
      for (const [label, body] of BODY_ATTACKS)
        judge(`${endpoint.method.toUpperCase()} ${endpoint.path}: ${label}`, await send(endpoint, body));
      for (const extra of ['orgId', 'userId', 'roleLevel', 'id', 'createdById']) {
        judge(
          `${endpoint.method.toUpperCase()} ${endpoint.path}: extra field ${extra}`,
          await send(endpoint, { json: { ...endpoint.valid, [extra]: 'someone-else' } }),
        );
      }
    }

    // hostile path parameters and queries on every route that takes them
    const badIds = [
      'does-not-exist',
      "1' OR '1'='1",
      '%00',
      'a%00b',
      '..%2F..%2Fetc%2Fpasswd',
      'x'.repeat(300),
      '%F0%9F%92%A5',
      '%E2%80%AE',
      '__proto__',
      'constructor',
    ];
    for (const id of badIds) {
      const authed = (req: ReturnType<TestApp['http']['get']>) => req.set('Authorization', `Bearer ${token}`);
      judge(
        `PATCH /ops/maintenance/${id.slice(0, 20)}`,
        await authed(t.http.patch(`/ops/maintenance/${id}`)).send({ message: 'x' }),
      );
      judge(`POST /ops/maintenance/${id.slice(0, 20)}/end`, await authed(t.http.post(`/ops/maintenance/${id}/end`)));
      judge(`GET /ops/flags/${id.slice(0, 20)}`, await authed(t.http.get(`/ops/flags/${id}`)));
      judge(
        `PATCH /ops/flags/${id.slice(0, 20)}`,
        await authed(t.http.patch(`/ops/flags/${id}`)).send({ rolloutPct: 1 }),
      );
      judge(
        `PATCH /ops/flags/${id.slice(0, 20)}/toggle`,
        await authed(t.http.patch(`/ops/flags/${id}/toggle`)).send({}),
      );
      judge(`POST /ops/flags/${id.slice(0, 20)}/kill`, await authed(t.http.post(`/ops/flags/${id}/kill`)).send({}));
      judge(`GET /ops/flags/${id.slice(0, 20)}/audit`, await authed(t.http.get(`/ops/flags/${id}/audit`)));
    }
    const badQueries = [
      'page=0',
      'page=-1',
      'page=abc',
      'page=1.5',
      'page=1&page=2',
      'pageSize=0',
      'pageSize=101',
      'pageSize=1e3',
      'from=yesterday',
      'from=2026-02-30T00:00:00Z',
      'to=%00',
      'from=2026-11-26T00:00:00Z&to=2026-11-25T00:00:00Z',
      'unknown=1',
      'page[a]=1',
      `page=${'9'.repeat(400)}`,
      'cursor=%00',
      'cursor=!!',
      'cursor=a&cursor=b',
      'cursor[x]=1',
      'cursor=&page=1',
      'cursor=bnVsbA',
      `cursor=${'A'.repeat(400)}`,
    ];
    for (const q of badQueries) {
      judge(
        `GET /ops/maintenance/list?${q.slice(0, 30)}`,
        await t.http.get(`/ops/maintenance/list?${q}`).set('Authorization', `Bearer ${token}`),
      );
      if (!q.startsWith('from') && !q.startsWith('to'))
        judge(
          `GET /ops/flags/fuzz-flag/audit?${q.slice(0, 30)}`,
          await t.http.get(`/ops/flags/fuzz-flag/audit?${q}`).set('Authorization', `Bearer ${token}`),
        );
    }
    // bodies on routes that take none still go through the same checks
    for (const [label, body] of BODY_ATTACKS.slice(0, 6)) {
      for (const path of ['/auth/logout-all', '/ops/maintenance/' + windowId + '/end']) {
        judge(
          `POST ${path}: ${label}`,
          await t.http
            .post(path)
            .set('Authorization', `Bearer ${token}`)
            .set('Content-Type', 'application/json')
            .send('raw' in body ? body.raw : JSON.stringify(body.json)),
        );
      }
    }

    // methods no route has, and hostile Authorization headers on a protected write
    const routes = [
      '/auth/login',
      '/auth/me',
      '/ops/maintenance',
      `/ops/maintenance/${windowId}`,
      '/ops/flags',
      '/ops/flags/fuzz-flag',
      '/ops/flags/fuzz-flag/kill',
      '/api/health',
    ];
    for (const path of routes) {
      judge(`PUT ${path}`, await t.http.put(path).set('Authorization', `Bearer ${token}`).send({ a: 1 }));
      judge(`DELETE ${path}`, await t.http.delete(path).set('Authorization', `Bearer ${token}`));
    }
    const badAuth = [
      'Bearer',
      'Bearer ',
      'Bearer a.b.c',
      'Bearer ' + 'x'.repeat(4000),
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      `Bearer ${token}x`,
      `bearer ${token.split('.').slice(0, 2).join('.')}`,
      `Basic ${Buffer.from('owner:pw').toString('base64')}`,
      "Bearer ' OR 1=1 --",
      'Bearer \u00e9t\u00e9',
      `Bearer ${token} ${token}`,
      'Token abc',
    ];
    for (const header of badAuth)
      judge(
        `POST /ops/flags with Authorization "${header.slice(0, 24)}"`,
        await t.http.post('/ops/flags').set('Authorization', header).send({ key: 'via-bad-auth' }),
      );

    const after = await snapshot();
    const failures = results.filter((r) => !r.ok);
    const fiveXx = results.filter((r) => r.status >= 500).length;
    const byStatus = results.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    recordFigures('fuzz', {
      cases: results.length,
      fiveXx,
      nonEnvelope: failures.length,
      byStatus,
      databaseUnchanged: JSON.stringify(before) === JSON.stringify(after),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
    expect(failures).toEqual([]);
    expect(fiveXx).toBe(0);
    expect(results.length).toBeGreaterThanOrEqual(500);
    expect(after).toEqual(before);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still works after the barrage', async () => {
    await t.http.get('/ops/flags/fuzz-flag').set('Authorization', `Bearer ${token}`).expect(200);
    await t.http.post('/auth/login').send({ email: DEMO.manager, password: 'ChefCloud-demo-2025' }).expect(200);
  });
});
