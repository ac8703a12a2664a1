// How the terminal's rows and columns are shared out. The dashboard always fills exactly the
// terminal: header, main area, permission requests, composer, status row and footer.

/** Text rows the composer grows to before it scrolls. */
export const MAX_COMPOSER_ROWS = 4;
/** Permission requests listed at once. */
export const MAX_PERMISSION_ROWS = 3;
/** Smallest terminal the dashboard lays out for (it still renders, cramped, below this). */
export const MIN_SIZE = { columns: 40, rows: 12 } as const;

/** Sizes of every region, in terminal cells. */
export interface Layout {
  readonly columns: number;
  readonly rows: number;
  /** Rows of the sessions/stream area (or the overlay replacing it), borders included. */
  readonly main: number;
  readonly sessionsWidth: number;
  readonly streamWidth: number;
  /** Content rows inside the stream panel. */
  readonly streamRows: number;
  /** Rows of the permissions box (0 when none are pending). */
  readonly permissions: number;
  /** Rows of the composer box, borders included. */
  readonly composer: number;
  /** Text rows inside the composer. */
  readonly composerText: number;
}

/** Lays out a `columns`×`rows` terminal for a draft of `draftLines` and `pending` permission requests. */
export function computeLayout(size: { columns: number; rows: number }, draftLines: number, pending: number): Layout {
  const columns = Math.max(MIN_SIZE.columns, size.columns);
  const rows = Math.max(MIN_SIZE.rows, size.rows);
  const composerText = Math.max(1, Math.min(rows >= 30 ? MAX_COMPOSER_ROWS : 2, draftLines));
  const composer = composerText + 2;
  const permissions = pending > 0 ? Math.min(MAX_PERMISSION_ROWS, pending) + 2 : 0;
  const main = Math.max(4, rows - 3 - composer - permissions);
  const sessionsWidth = columns >= 110 ? 32 : columns >= 70 ? 26 : 0;
  return {
    columns,
    rows,
    main,
    sessionsWidth,
    streamWidth: columns - sessionsWidth,
    streamRows: main - 2,
    permissions,
    composer,
    composerText,
  };
}
