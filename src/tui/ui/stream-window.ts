// Which messages the stream panel shows. Every message takes a fixed number of rows (a header
// plus at most MAX_BODY_ROWS body lines, truncated, never wrapped), so the window is computed
// from the bottom anchor without laying anything out, and only visible messages are rendered.
import type { MessageStore } from '../state/message-store.js';
import { bodyLines } from './format.js';

/** Body lines shown per message in the stream (the thread view shows all). */
export const MAX_BODY_ROWS = 2;

/** Rows one message takes in the stream. */
export function rowsOfBody(body: string): number {
  return 1 + Math.min(MAX_BODY_ROWS, body === '' ? 0 : bodyLines(body).length);
}

/** Rows of the message at `index` of the store. */
export function rowsAt(store: MessageStore, index: number): number {
  const id = store.ids[index];
  const entry = id === undefined ? undefined : store.byId.get(id);
  return entry ? rowsOfBody(entry.message.body) : 1;
}

/** The first index shown when `bottom` is the last visible message of a `height`-row panel. */
export function topFor(store: MessageStore, bottom: number, height: number): number {
  let top = bottom;
  let used = rowsAt(store, bottom);
  while (top > 0 && used + rowsAt(store, top - 1) <= height) {
    top -= 1;
    used += rowsAt(store, top);
  }
  return top;
}

/** The last index shown when `top` is the first visible message. */
export function bottomFor(store: MessageStore, top: number, height: number): number {
  let bottom = top;
  let used = rowsAt(store, top);
  while (bottom + 1 < store.ids.length && used + rowsAt(store, bottom + 1) <= height) {
    bottom += 1;
    used += rowsAt(store, bottom);
  }
  return bottom;
}

/** The visible range [top, bottom] for an anchor id (null: follow the newest message). */
export function visibleRange(
  store: MessageStore,
  anchor: string | null,
  height: number,
): { top: number; bottom: number; below: number } {
  const last = store.ids.length - 1;
  const found = anchor === null ? -1 : store.ids.indexOf(anchor);
  const bottom = found === -1 ? last : found;
  if (bottom < 0) return { top: 0, bottom: -1, below: 0 };
  return { top: topFor(store, bottom, height), bottom, below: last - bottom };
}

/** The anchor that keeps `selected` visible, moving the window as little as possible. */
export function anchorFor(
  store: MessageStore,
  selected: string | null,
  anchor: string | null,
  height: number,
): string | null {
  if (selected === null) return null;
  const index = store.ids.indexOf(selected);
  if (index === -1) return null;
  const { top, bottom } = visibleRange(store, anchor, height);
  if (index > bottom) return selected;
  if (index >= top) return store.ids[bottom] ?? null;
  return store.ids[bottomFor(store, index, height)] ?? null;
}
