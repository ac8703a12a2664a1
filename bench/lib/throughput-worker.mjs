// One sender process of bench/durable-throughput.mjs: connects as its session, warms up,
// reports ready, sends its share when told "go", reports its times, exits.
import { connect } from './fixture.mjs';
import { sendPipelined } from './pipeline.mjs';

const job = JSON.parse(process.argv[2] ?? '{}');
const fixture = { bundle: job.bundle, roots: job.roots };

const client = await connect(fixture, job.session, { autoStart: false });
try {
  await sendPipelined(client, { target: job.target, count: job.warmup, window: job.window, tag: `${job.session}-w` });
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send({ type: 'ready' });
  await go;
  const result = await sendPipelined(client, { ...job, count: job.count, tag: job.session });
  await new Promise((resolve) => process.send({ type: 'done', ...result }, resolve));
} finally {
  client.close();
  process.disconnect();
}
