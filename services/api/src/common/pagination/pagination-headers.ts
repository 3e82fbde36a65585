import type { Request, Response } from 'express';
import type { KeysetPage, Page } from './pagination.dto';

/** Response headers that carry a list's paging, so the body can stay a bare array. */
export const PAGINATION_HEADERS = ['X-Total-Count', 'Link'] as const;

/** The OpenAPI `headers` of a list paged by `page` or by keyset `cursor`. */
export const KEYSET_PAGING_HEADERS = {
  'X-Total-Count': {
    description: 'Items across every page; paging by page only (a keyset page counts nothing)',
    schema: { type: 'string' },
  },
  Link: {
    description:
      'RFC 8288 links. By page: rel first, prev, next, last (page & pageSize). By cursor: rel="next" ' +
      '(`<…?cursor=…&pageSize=…>`) while the list goes on, absent on the last page',
    schema: { type: 'string' },
  },
};

/**
 * GitHub-style paging headers: `X-Total-Count` (items across every page) and an RFC 8288
 * `Link` with `first` and `last` always, `prev` and `next` when they exist, built from the
 * request's own URL (absolute when `origin` is given) with `page` and `pageSize` replaced.
 */
export function paginationHeaders(
  page: Pick<Page<unknown>, 'page' | 'pageSize' | 'total'>,
  requestUrl: string,
  origin = '',
): Record<string, string> {
  const last = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (n: number, rel: string): string => {
    const url = new URL(requestUrl, 'http://placeholder');
    url.searchParams.set('page', String(n));
    url.searchParams.set('pageSize', String(page.pageSize));
    return `<${origin}${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page.page > 1) links.push(link(Math.min(page.page - 1, last), 'prev'));
  if (page.page < last) links.push(link(page.page + 1, 'next'));
  links.push(link(last, 'last'));
  return { 'X-Total-Count': String(page.total), Link: links.join(', ') };
}

/**
 * The `Link` of a keyset page: `rel="next"` with the next cursor (and `pageSize`, the other query
 * parameters kept) when the list goes on; none on the last page. No total: nothing is counted.
 */
export function keysetHeaders(
  page: Pick<KeysetPage<unknown>, 'pageSize' | 'next'>,
  requestUrl: string,
  origin = '',
): Record<string, string> {
  if (page.next === null) return {};
  const url = new URL(requestUrl, 'http://placeholder');
  url.searchParams.delete('page');
  url.searchParams.set('cursor', page.next);
  url.searchParams.set('pageSize', String(page.pageSize));
  return { Link: `<${origin}${url.pathname}${url.search}>; rel="next"` };
}

/** Set the paging headers on `res` (by page or by keyset) and answer the page's items as a bare array. */
export function sendPage<T>(req: Request, res: Response, page: Page<T> | KeysetPage<T>): T[] {
  const host = req.get('host');
  const origin = host ? `${req.protocol}://${host}` : '';
  const headers =
    'next' in page ? keysetHeaders(page, req.originalUrl, origin) : paginationHeaders(page, req.originalUrl, origin);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  return page.items;
}
