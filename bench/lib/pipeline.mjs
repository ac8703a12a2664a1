// A windowed send loop: keeps `window` sends in flight on one client until `count` have
// been answered, the way a busy agent or bridge would push a backlog.

/** Wall-clock milliseconds comparable across processes on one machine. */
export function wallNow() {
  return performance.timeOrigin + performance.now();
}

/**
 * Sends `count` messages from `client` to `target`, at most `window` unanswered at once.
 * Resolves to `{ start, end, sent, failed, firstError }`; start/end are wallNow() values.
 */
export async function sendPipelined(client, { target, count, window, tag }) {
  let next = 0;
  let sent = 0;
  let failed = 0;
  let firstError;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      try {
        await client.request('send', { to: [target], body: `bench ${tag} ${i}`, request_id: `${tag}-${i}` });
        sent += 1;
      } catch (error) {
        failed += 1;
        firstError ??= String(error?.message ?? error);
      }
    }
  };
  const start = wallNow();
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
  return { start, end: wallNow(), sent, failed, firstError };
}
