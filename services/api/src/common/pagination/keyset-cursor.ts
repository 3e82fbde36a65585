import { AppException } from '../errors/app-exception';

/**
 * Keyset ("cursor") paging. A list sorted newest first by (a timestamp, id) is read page after
 * page with `WHERE (timestamp, id) < (the last row's) ORDER BY timestamp DESC, id DESC LIMIT n+1`:
 * no COUNT(*), no OFFSET, so a deep page costs what the first does, and rows inserted meanwhile
 * never shift the pages (no row is skipped or repeated).
 *
 * The cursor is opaque to clients: base64url of `[list, epoch milliseconds, id]`. `list` names the
 * list that issued it, so an audit cursor given to the window list is refused. Anything that does
 * not decode to exactly that shape is 400 INVALID_CURSOR, never a 500.
 *
 * The first keyset page is asked for with an empty cursor (`?cursor=`); every page whose list
 * goes on carries `Link: <…?cursor=…&pageSize=…>; rel="next"`, the last one none.
 */

/** The lists paged by keyset; the name travels inside the cursor. */
export type CursorList = 'flag-audit' | 'maintenance-window';

/** A position in a list sorted by (at DESC, id DESC): the last row of the previous page. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/** Longest cursor accepted (a real one is about 80 characters). */
export const MAX_CURSOR_LENGTH = 256;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** The instants a timestamptz(3) column of ours can hold (1970–9999, as the API validates dates). */
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function encodeCursor(list: CursorList, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([list, position.at.getTime(), position.id]), 'utf8').toString('base64url');
}

/**
 * The position `raw` encodes; null for the empty cursor (the first page).
 * @throws AppException INVALID_CURSOR when `raw` was not issued by `list`.
 */
export function decodeCursor(list: CursorList, raw: string): KeysetPosition | null {
  if (raw === '') return null;
  const position = raw.length <= MAX_CURSOR_LENGTH && BASE64URL.test(raw) ? parse(list, raw) : null;
  if (!position)
    throw new AppException(
      'INVALID_CURSOR',
      'cursor is not one this list issued: follow the Link rel="next" as given',
      {
        details: [{ field: 'cursor', errors: ['invalid cursor'] }],
      },
    );
  return position;
}

function parse(list: CursorList, raw: string): KeysetPosition | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [name, ms, id] = value as unknown[];
  if (name !== list) return null;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0 || ms > MAX_EPOCH_MS) return null;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) return null;
  // Re-encoding must give the same text: no padding, no alternative spellings of one position.
  const position = { at: new Date(ms), id };
  return encodeCursor(list, position) === raw ? position : null;
}
