import { deepPosition, nextCursorOf } from './keyset-walk';

describe('nextCursorOf', () => {
  it('reads the cursor of the rel="next" link, absolute or relative', () => {
    expect(nextCursorOf('<http://h:1/ops/maintenance?from=x&cursor=WyJh_-&pageSize=20>; rel="next"')).toBe('WyJh_-');
    expect(nextCursorOf('</ops/flags/k/audit?cursor=abc&pageSize=5>; rel="next"')).toBe('abc');
  });

  it('is null on the last page and for page links without a cursor', () => {
    expect(nextCursorOf(null)).toBeNull();
    expect(nextCursorOf(undefined)).toBeNull();
    expect(nextCursorOf('</x?page=1&pageSize=20>; rel="first", </x?page=1&pageSize=20>; rel="last"')).toBeNull();
    expect(nextCursorOf('</x?page=2&pageSize=20>; rel="next"')).toBeNull();
  });
});

describe('deepPosition', () => {
  it('is the last walk step that leaves a full page, never the first page', () => {
    expect(deepPosition(5_000, 20)).toBe(4_900);
    expect(deepPosition(2_000, 20)).toBe(1_900);
    expect(deepPosition(2_020, 20)).toBe(2_000);
    expect(deepPosition(50, 20)).toBe(100);
  });
});
