import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppException } from '../errors/app-exception';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, type CursorList, type KeysetPosition } from './keyset-cursor';

/** `?page=1&pageSize=20` (pageSize at most 100). */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export function pageOf(query: PageQueryDto, defaultPageSize = 20): { page: number; pageSize: number; skip: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? defaultPageSize;
  return { page, pageSize, skip: (page - 1) * pageSize };
}

/**
 * `?cursor=&pageSize=20` besides `?page&pageSize`: lists that also page by keyset
 * (common/pagination/keyset-cursor.ts). Without `cursor` the list pages by `page` as before.
 */
export class KeysetPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: String,
    maxLength: MAX_CURSOR_LENGTH,
    description:
      'Keyset paging: empty (`cursor=`) for the first page, then the value the previous page’s `Link: <…>; rel="next"` carries. ' +
      'No total is counted (no `X-Total-Count`), and rows added meanwhile never shift the pages. Not with `page` (400).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  cursor?: string;
}

/** A page read by keyset: the items and the cursor of the next page (null on the last). */
export interface KeysetPage<T> {
  items: T[];
  pageSize: number;
  next: string | null;
}

/** How a request pages: by number (OFFSET, with a total), or by keyset after a position. */
export type Paging =
  | { mode: 'page'; page: number; pageSize: number; skip: number }
  | { mode: 'keyset'; after: KeysetPosition | null; pageSize: number };

/**
 * The paging `query` asks for. `cursor` selects keyset paging and is decoded here
 * (400 INVALID_CURSOR when `list` did not issue it); `cursor` with `page` is 400.
 */
export function pagingOf(query: KeysetPageQueryDto, list: CursorList, defaultPageSize = 20): Paging {
  if (query.cursor === undefined) return { mode: 'page', ...pageOf(query, defaultPageSize) };
  if (query.page !== undefined)
    throw new AppException('INVALID_CURSOR', 'Page by cursor or by page, not both', {
      details: [{ field: 'page', errors: ['page cannot be combined with cursor'] }],
    });
  return { mode: 'keyset', after: decodeCursor(list, query.cursor), pageSize: query.pageSize ?? defaultPageSize };
}

/**
 * The keyset page of `rows` read with LIMIT pageSize + 1: the extra row only says a next page
 * exists, whose cursor is the position of this page's last item.
 */
export function keysetPageOf<R extends { id: string }, T>(
  rows: R[],
  pageSize: number,
  list: CursorList,
  at: (row: R) => Date,
  toItem: (row: R) => T,
): KeysetPage<T> {
  const items = rows.slice(0, pageSize);
  const last = items[items.length - 1];
  const next = rows.length > pageSize && last ? encodeCursor(list, { at: at(last), id: last.id }) : null;
  return { items: items.map(toItem), pageSize, next };
}
