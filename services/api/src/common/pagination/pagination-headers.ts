import type { Request, Response } from 'express';
import type { Page } from './pagination.dto';

/** Response headers that carry a list's paging, so the body can stay a bare array. */
export const PAGINATION_HEADERS = ['X-Total-Count', 'Link'] as const;

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

/** Set the paging headers on `res` and answer the page's items as a bare array. */
export function sendPage<T>(req: Request, res: Response, page: Page<T>): T[] {
  const host = req.get('host');
  const origin = host ? `${req.protocol}://${host}` : '';
  for (const [name, value] of Object.entries(paginationHeaders(page, req.originalUrl, origin)))
    res.setHeader(name, value);
  return page.items;
}
