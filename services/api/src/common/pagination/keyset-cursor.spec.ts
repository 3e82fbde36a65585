import fc from 'fast-check';
import { AppException } from '../errors/app-exception';
import { decodeCursor, encodeCursor } from './keyset-cursor';

const position = { at: new Date('2026-11-26T12:34:56.789Z'), id: 'cmabc123_-x' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppException ? error.code : 'not an AppException';
  }
  return undefined;
}

describe('keyset cursors', () => {
  it('round-trips a position, and the empty cursor is the first page', () => {
    const cursor = encodeCursor('flag-audit', position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('flag-audit', cursor)).toEqual(position);
    expect(decodeCursor('flag-audit', '')).toBeNull();
  });

  it('refuses a cursor of another list, a tampered one and non-canonical spellings (INVALID_CURSOR)', () => {
    const cursor = encodeCursor('flag-audit', position);
    expect(codeOf(() => decodeCursor('maintenance-window', cursor))).toBe('INVALID_CURSOR');
    expect(codeOf(() => decodeCursor('flag-audit', cursor.slice(0, -2)))).toBe('INVALID_CURSOR');
    expect(codeOf(() => decodeCursor('flag-audit', `${cursor}==`))).toBe('INVALID_CURSOR');
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of [
      ['flag-audit', -1, 'a'],
      ['flag-audit', 1.5, 'a'],
      ['flag-audit', 1e16, 'a'],
      ['flag-audit', '1', 'a'],
      ['flag-audit', 1, ''],
      ['flag-audit', 1, "a' OR 1=1"],
      ['flag-audit', 1, 'a', 'extra'],
      { list: 'flag-audit' },
      null,
    ])
      expect(codeOf(() => decodeCursor('flag-audit', forge(bad)))).toBe('INVALID_CURSOR');
    expect(codeOf(() => decodeCursor('flag-audit', forge(['flag-audit', 0, 'a'])))).toBeUndefined();
  });

  it('answers any string with a position, null or INVALID_CURSOR, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.stringMatching(/^[A-Za-z0-9_-]{0,300}$/)), (raw) => {
        const code = codeOf(() => decodeCursor('maintenance-window', raw));
        expect(code === undefined || code === 'INVALID_CURSOR').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
