// Run as `node --import clonecheck/register failing-programs.mjs` with the defaults: three sends
// that lose data (or throw) on their channel. The guard must stop each one before it is made.
// Prints one JSON line: per case, the error's name, code and path, or what arrived.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

const caught = async (run) => {
  try {
    return { arrived: await run() };
  } catch (e) {
    return { name: e.name, code: e.code, at: e.at, channel: e.channel };
  }
};

class Customer {
  constructor(name) {
    this.name = name;
  }
  greet() {
    return `Hello, ${this.name}`;
  }
}

const out = {};
out.functionInWorkerData = await caught(async () => {
  const w = new Worker('require("node:worker_threads").parentPort.postMessage(1)', { eval: true, workerData: { job: { id: 1, onDone() {} } } });
  await w.terminate();
  return 'started';
});

const child = fork(new URL('./echo-child.mjs', import.meta.url));
await once(child, 'message'); // 'ready'
const reply = async () => (await once(child, 'message'))[0];
out.classOverFork = await caught(async () => {
  child.send({ customer: new Customer('Ada') });
  return reply();
});
out.mapOverFork = await caught(async () => {
  child.send({ seen: new Map([['a', 1]]) });
  return reply();
});
child.send('bye');
await once(child, 'exit');

console.log(JSON.stringify(out));
