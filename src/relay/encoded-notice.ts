// A notice with a 256 KiB body fans out to every event subscriber: encoding it once and
// queueing the same bytes for each keeps one copy in memory however many are behind. The copy
// is held weakly: once every queue has sent it, it goes, though the replay ring still keeps the
// notice (a replay encodes it again). Held strongly, every notice in the ring kept its body
// twice, as a string and as these bytes.
import { encodeFrame } from '../core/transport/index.js';
import type { Notice } from './notifier.js';

const encodedNotices = new WeakMap<Notice, WeakRef<Buffer>>();

/** The notice as one frame line, shared by every queue that holds it. */
export function encodedNotice(notice: Notice): Buffer {
  let encoded = encodedNotices.get(notice)?.deref();
  if (!encoded) {
    encoded = Buffer.from(encodeFrame({ jsonrpc: '2.0', method: notice.method, params: notice.params }));
    encodedNotices.set(notice, new WeakRef(encoded));
  }
  return encoded;
}
