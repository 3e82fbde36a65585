import { keysetHeaders, paginationHeaders } from './pagination-headers';

describe('paginationHeaders', () => {
  it('gives the total and first/prev/next/last links that keep the other query parameters', () => {
    const headers = paginationHeaders(
      { page: 2, pageSize: 10, total: 35 },
      '/ops/maintenance?from=x&page=2',
      'http://h',
    );
    expect(headers['X-Total-Count']).toBe('35');
    expect(headers.Link).toBe(
      [
        '<http://h/ops/maintenance?from=x&page=1&pageSize=10>; rel="first"',
        '<http://h/ops/maintenance?from=x&page=1&pageSize=10>; rel="prev"',
        '<http://h/ops/maintenance?from=x&page=3&pageSize=10>; rel="next"',
        '<http://h/ops/maintenance?from=x&page=4&pageSize=10>; rel="last"',
      ].join(', '),
    );
  });

  it('has no prev on the first page, no next on the last, and one page when empty', () => {
    expect(paginationHeaders({ page: 1, pageSize: 20, total: 0 }, '/branches').Link).toBe(
      '</branches?page=1&pageSize=20>; rel="first", </branches?page=1&pageSize=20>; rel="last"',
    );
    const beyond = paginationHeaders({ page: 9, pageSize: 20, total: 25 }, '/x');
    expect(beyond.Link).toContain('</x?page=2&pageSize=20>; rel="prev"');
    expect(beyond.Link).not.toContain('rel="next"');
  });
});

describe('keysetHeaders', () => {
  it('links the next cursor with the page size, keeping the other query parameters and dropping page', () => {
    expect(keysetHeaders({ pageSize: 5, next: 'abc_-' }, '/ops/maintenance?from=x&cursor=old', 'http://h')).toEqual({
      Link: '<http://h/ops/maintenance?from=x&cursor=abc_-&pageSize=5>; rel="next"',
    });
  });

  it('sends no Link and no total on the last page', () => {
    expect(keysetHeaders({ pageSize: 5, next: null }, '/x?cursor=')).toEqual({});
  });
});
