/**
 * Keyset ("cursor") paging of the audit trail and the window lists, on a real database:
 * following `Link: <…>; rel="next"` from `?cursor=` returns every row exactly once, in order,
 * even while rows are inserted during the walk; a cursor the list did not issue is 400
 * INVALID_CURSOR (never a 500); `page` keeps paging as before (its own suites).
 */
import fc from 'fast-check';
import type { Response } from 'supertest';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const FLAG = 'keyset-flag';

/** The URL of the `rel="next"` link of `res`, relative to the server; null when there is none. */
function nextLink(res: Response): string | null {
  const link = res.headers.link as string | undefined;
  const match = link?.match(/<([^>]+)>; rel="next"/);
  if (!match) return null;
  const url = new URL(match[1]);
  return `${url.pathname}${url.search}`;
}

describe('keyset pagination (cursor / rel="next")', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let orgId: string;
  let otherOrgId: string;
  let userId: string;

  beforeAll(async () => {
    t = await startTestApp();
    auth = { Authorization: `Bearer ${await t.login(DEMO.owner)}` };
    const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.owner } });
    orgId = owner.orgId;
    userId = owner.id;
    otherOrgId = (await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.otherOwner } })).orgId;
    await t.http.post('/ops/flags').set(auth).send({ key: FLAG, active: true }).expect(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  /**
   * Walk `first` by its rel="next" links; before fetching each next page, `during` may insert rows.
   * Returns the ids in the order served and the responses. Bounded: at most 200 pages.
   */
  async function walk(
    first: string,
    items: (res: Response) => { id: string }[],
    during: (pageNo: number) => Promise<void> = () => Promise.resolve(),
  ): Promise<{ ids: string[]; responses: Response[] }> {
    const ids: string[] = [];
    const responses: Response[] = [];
    let url: string | null = first;
    for (let n = 0; url && n < 200; n++) {
      expect(url).not.toMatch(/[?&]page=/);
      const res = await t.http.get(url).set(auth).expect(200);
      responses.push(res);
      ids.push(...items(res).map((i) => i.id));
      url = nextLink(res);
      if (url) await during(n);
    }
    expect(url).toBeNull();
    return { ids, responses };
  }

  describe('the audit trail', () => {
    let expected: string[];

    beforeAll(async () => {
      // 60 rows in the past, several sharing a createdAt (the id breaks the tie), plus the CREATE row.
      const base = Date.now() - 3_600_000;
      await t.prisma.flagAudit.createMany({
        data: Array.from({ length: 60 }, (_, i) => ({
          id: `ks-audit-${String(i).padStart(3, '0')}`,
          orgId,
          flagKey: FLAG,
          userId,
          action: 'UPDATE' as const,
          reason: `row ${i}`,
          createdAt: new Date(base + Math.floor(i / 4) * 1000),
        })),
      });
      const rows = await t.prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM flag_audits WHERE org_id = ${orgId} AND flag_key = ${FLAG} ORDER BY created_at DESC, id DESC`;
      expected = rows.map((r) => r.id);
      expect(expected).toHaveLength(61);
    });

    it('walks every row exactly once, newest first, by rel="next" from ?cursor= without page or a total', async () => {
      const { ids, responses } = await walk(
        `/ops/flags/${FLAG}/audit?cursor=&pageSize=7`,
        (res) => res.body as { id: string }[],
      );
      expect(ids).toEqual(expected);
      expect(responses).toHaveLength(9);
      for (const res of responses) {
        expect(Array.isArray(res.body)).toBe(true);
        expect(res.headers['x-total-count']).toBeUndefined();
      }
      expect(responses[8].headers.link).toBeUndefined();
      // The items are the same objects as by page (the body shape clients know).
      const byPage = await t.http.get(`/ops/flags/${FLAG}/audit?page=1&pageSize=7`).set(auth).expect(200);
      expect(responses[0].body).toEqual(byPage.body);
      expect(byPage.headers['x-total-count']).toBe('61');
    });

    it('is not shifted by rows inserted during the walk: no pre-existing row skipped or repeated', async () => {
      let inserted = 0;
      const { ids } = await walk(
        `/ops/flags/${FLAG}/audit?cursor=&pageSize=5`,
        (res) => res.body as { id: string }[],
        async () => {
          // A real change (audited now, so newest) between every two pages.
          await t.http
            .patch(`/ops/flags/${FLAG}`)
            .set(auth)
            .send({ rolloutPct: inserted++ % 100 })
            .expect(200);
        },
      );
      expect(inserted).toBeGreaterThan(10);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
      // By page, the same inserts shift the pages: page 2 now repeats rows page 1 served before them.
      const page1 = await t.http.get(`/ops/flags/${FLAG}/audit?page=1&pageSize=5`).set(auth).expect(200);
      await t.http.patch(`/ops/flags/${FLAG}`).set(auth).send({ rolloutPct: 1 }).expect(200);
      const page2 = await t.http.get(`/ops/flags/${FLAG}/audit?page=2&pageSize=5`).set(auth).expect(200);
      const first = (page1.body as { id: string }[]).map((a) => a.id);
      expect((page2.body as { id: string }[]).map((a) => a.id)).toContain(first[4]);
    });
  });

  describe('the window lists', () => {
    let expected: string[];

    beforeAll(async () => {
      const base = Date.UTC(2025, 0, 1);
      const window = (id: string, owner: string | null, i: number) => ({
        id,
        orgId: owner,
        // Pairs share a start (the id breaks the tie); all in the past, none blocking.
        startsAt: new Date(base + Math.floor(i / 2) * 3_600_000),
        endsAt: new Date(base + Math.floor(i / 2) * 3_600_000 + 60_000),
        blockWrites: false,
      });
      await t.prisma.maintenanceWindow.createMany({
        data: [
          ...Array.from({ length: 40 }, (_, i) => window(`ks-win-${String(i).padStart(3, '0')}`, orgId, i)),
          ...Array.from({ length: 9 }, (_, i) => window(`ks-glob-${i}`, null, i * 4 + 1)),
          ...Array.from({ length: 5 }, (_, i) => window(`ks-other-${i}`, otherOrgId, i)),
        ],
      });
      const rows = await t.prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM maintenance_windows WHERE org_id = ${orgId} OR org_id IS NULL ORDER BY starts_at DESC, id DESC`;
      expected = rows.map((r) => r.id);
      expect(expected.length).toBeGreaterThanOrEqual(49);
    });

    it('GET /ops/maintenance walks the org’s and global windows exactly once, newest first, never another org’s', async () => {
      const { ids, responses } = await walk(
        '/ops/maintenance?cursor=&pageSize=6',
        (res) => res.body as { id: string }[],
      );
      expect(ids).toEqual(expected);
      expect(ids.some((id) => id.startsWith('ks-other-'))).toBe(false);
      expect(responses.every((r) => r.headers['x-total-count'] === undefined)).toBe(true);
      const byPage = await t.http.get('/ops/maintenance?pageSize=6').set(auth).expect(200);
      expect(responses[0].body).toEqual(byPage.body);
    });

    it('GET /ops/maintenance/list keeps its envelope; page and total are null by cursor', async () => {
      let created = 0;
      const { ids, responses } = await walk(
        '/ops/maintenance/list?cursor=&pageSize=8',
        (res) => (res.body as { items: { id: string }[] }).items,
        async () => {
          // A window newer than every seeded one, inserted between pages.
          await t.prisma.maintenanceWindow.create({
            data: {
              id: `ks-new-${created++}`,
              orgId,
              startsAt: new Date(Date.UTC(2090, 5, 1) + created * 60_000),
              endsAt: new Date(Date.UTC(2090, 5, 1) + created * 60_000 + 1000),
              blockWrites: false,
            },
          });
        },
      );
      expect(created).toBeGreaterThan(3);
      expect(ids).toEqual(expected);
      for (const res of responses)
        expect(Object.keys(res.body as object).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
      expect(responses[0].body).toMatchObject({ page: null, pageSize: 8, total: null });
      await t.prisma.maintenanceWindow.deleteMany({ where: { id: { startsWith: 'ks-new-' } } });
    });

    it('keeps from/to in the next links and pages only the windows they keep', async () => {
      const from = new Date(Date.UTC(2025, 0, 1) + 5 * 3_600_000).toISOString();
      const to = new Date(Date.UTC(2025, 0, 1) + 15 * 3_600_000).toISOString();
      const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      const byPage = await t.http.get(`/ops/maintenance?${query}&pageSize=100`).set(auth).expect(200);
      const { ids, responses } = await walk(
        `/ops/maintenance?${query}&cursor=&pageSize=4`,
        (res) => res.body as { id: string }[],
      );
      expect(ids).toEqual((byPage.body as { id: string }[]).map((w) => w.id));
      expect(ids.length).toBeGreaterThan(8);
      expect(responses[0].headers.link).toContain(`from=${encodeURIComponent(from)}`);
    });
  });

  describe('bad cursors', () => {
    it('refuses cursor with page, another list’s cursor and a tampered one: 400 INVALID_CURSOR', async () => {
      const res = await t.http.get(`/ops/flags/${FLAG}/audit?cursor=&pageSize=2`).set(auth).expect(200);
      const auditCursor = new URL(nextLink(res)!, 'http://x').searchParams.get('cursor')!;
      const refused = [
        `/ops/flags/${FLAG}/audit?cursor=&page=1`,
        `/ops/maintenance?cursor=${auditCursor}`,
        `/ops/maintenance/list?cursor=${auditCursor}&page=2`,
        `/ops/flags/${FLAG}/audit?cursor=${auditCursor.slice(0, -3)}`,
        `/ops/flags/${FLAG}/audit?cursor=${auditCursor}x`,
      ];
      for (const url of refused) {
        const bad = await t.http.get(url).set(auth).expect(400);
        expect(bad.body).toMatchObject({ statusCode: 400, code: 'INVALID_CURSOR' });
        expect(typeof bad.body.requestId).toBe('string');
      }
      await t.http.get(`/ops/flags/${FLAG}/audit?cursor=${auditCursor}`).set(auth).expect(200);
    });

    it('answers any cursor string 200 or 400, never 500 (property-based)', async () => {
      const forged = fc
        .tuple(fc.constantFrom('flag-audit', 'maintenance-window', 'x'), fc.anything(), fc.anything())
        .map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url'));
      const cursor = fc.oneof(fc.string({ maxLength: 300 }), fc.base64String({ maxLength: 120 }), forged);
      const routes = [`/ops/flags/${FLAG}/audit`, '/ops/maintenance', '/ops/maintenance/list'];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), cursor, async (route, c) => {
          const res = await t.http.get(route).query({ cursor: c }).set(auth);
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) expect(['INVALID_CURSOR', 'VALIDATION_FAILED']).toContain(res.body.code);
        }),
        { numRuns: 120 },
      );
    });
  });
});
