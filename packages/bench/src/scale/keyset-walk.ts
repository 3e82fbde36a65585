/**
 * Finding a deep keyset position the way a client does: follow `Link: <…>; rel="next"` from
 * `?cursor=` until the position is reached. Format-agnostic: the cursor stays opaque here.
 */

/** Rows walked per request while finding a deep keyset cursor. */
export const WALK_STEP = 100;

/**
 * The deep row of a list of `rows` (0-based): the last multiple of `step` that still has a full
 * page of `pageSize` from it on, and never the first page.
 */
export function deepPosition(rows: number, pageSize: number, step = WALK_STEP): number {
  return Math.max(step, Math.floor((rows - pageSize) / step) * step);
}

/** The `cursor` query parameter of the `rel="next"` link in a `Link` header; null when there is none. */
export function nextCursorOf(link: string | null | undefined): string | null {
  const match = link?.match(/<([^>]+)>;\s*rel="next"/);
  if (!match) return null;
  return new URL(match[1], 'http://placeholder').searchParams.get('cursor');
}

/**
 * The cursor of the row at `position` (a multiple of `step`) of the list at `path` (e.g.
 * `/ops/flags/x/audit`): `position / step` pages of `step` rows are walked. Throws when the
 * list ends first.
 */
export async function cursorAt(
  base: string,
  path: string,
  headers: Record<string, string>,
  position: number,
  step = 100,
): Promise<string> {
  let cursor = '';
  for (let walked = 0; walked < position; walked += step) {
    const url = `${base}${path}?cursor=${encodeURIComponent(cursor)}&pageSize=${step}`;
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    const next = nextCursorOf(res.headers.get('link'));
    if (next === null) throw new Error(`${path} ends before row ${position} (after ${walked + step})`);
    cursor = next;
  }
  return cursor;
}
