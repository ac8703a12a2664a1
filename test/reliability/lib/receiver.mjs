// A socket recipient that takes delivery (`subscribe {messages: true}`) and acks each message,
// reconnecting whenever the relay goes away. It keeps every delivery it saw, so the scenario
// can check order and count duplicates: a message delivered again after its ack was answered
// is a duplicate; one delivered again before that is at-least-once redelivery (deduplicated by
// id on the receiving side, as DESIGN.md "Messages and delivery" says).
import { connect, sleep } from './fixture.mjs';

/** Starts receiving for `session`; call `stop()` when done. */
export function startReceiver(fixture, session) {
  const state = {
    session,
    seen: [],
    firstSeen: new Map(),
    acked: new Set(),
    duplicates: 0,
    redelivered: 0,
    reconnects: 0,
    stopped: false,
    client: undefined,
  };
  const onMessage = (client, message) => {
    const id = message.id;
    if (state.acked.has(id)) state.duplicates += 1;
    else if (state.firstSeen.has(id)) state.redelivered += 1;
    else {
      state.firstSeen.set(id, Date.now());
      state.seen.push({ id, body: message.body, from: message.from });
    }
    client.request('inbox.ack', { ids: [id] }).then(
      () => state.acked.add(id),
      () => undefined,
    );
  };
  const loop = async () => {
    while (!state.stopped) {
      let client;
      try {
        client = await connect(fixture, session);
      } catch {
        await sleep(25);
        continue;
      }
      state.client = client;
      const closed = new Promise((resolve) => client.onClose(() => resolve()));
      client.on('message.received', (params) => onMessage(client, params.message));
      try {
        await client.request('subscribe', { messages: true });
      } catch {
        client.close();
        continue;
      }
      await closed;
      state.reconnects += 1;
    }
  };
  const running = loop();
  return {
    state,
    async stop() {
      state.stopped = true;
      state.client?.close();
      await Promise.race([running, sleep(2000)]);
    },
  };
}
