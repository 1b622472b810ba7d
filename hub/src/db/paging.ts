/**
 * Keyset paging by id, newest first: a list query asks for `limit + 1` rows ordered by
 * id descending (below the `before` cursor); the extra row only says another page exists.
 */
export interface Page<T> {
  items: T[];
  /** Pass as `before` for the next page; null on the last page. */
  next: number | null;
}

/** The page of `rows` (fetched with `limit + 1`) and the cursor for the next one. */
export function keysetPage<R extends { id: number }, T = R>(rows: R[], limit: number, map?: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: map === undefined ? (page as unknown as T[]) : page.map(map),
    next: rows.length > limit && last !== undefined ? last.id : null,
  };
}
