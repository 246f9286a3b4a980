// Run as `node --import clonecheck/register cluster-primary.mjs` (throw mode). The primary's
// worker.send() of a Map throws with the path; the cluster worker (guarded by the inherited
// --import) tries cluster.worker.send() with a bigint and reports the error it got.
import cluster from 'node:cluster';
import { once } from 'node:events';

cluster.setupPrimary({ exec: new URL('./cluster-worker.mjs', import.meta.url).pathname });
const worker = cluster.fork();
await once(worker, 'message'); // 'ready'

const out = {};
try {
  worker.send({ settings: new Map([['a', 1]]) }); // SITE:primary
} catch (e) {
  out.primary = { name: e.name, code: e.code, channel: e.channel, at: e.at, firstLine: e.message.split('\n')[0] };
}
worker.send({ ok: true });
const [reply] = await once(worker, 'message');
out.worker = reply;
worker.disconnect();
await once(worker, 'exit');
console.log(JSON.stringify(out));
