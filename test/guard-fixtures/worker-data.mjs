// Run as `node --import clonecheck/register worker-data.mjs` (throw mode): user code that imports
// Worker by name, as an app would. Prints one JSON line with what happened.
import { Worker } from 'node:worker_threads';
import { uninstall } from 'clonecheck/guard';

const workerFile = new URL('./port-worker.mjs', import.meta.url);
const bad = { job: { id: 7, onDone() {} } };
const caught = (make) => {
  try {
    make();
  } catch (e) {
    return e;
  }
};

const first = new Worker(workerFile);
const error = caught(() => new Worker(workerFile, { workerData: bad })); // SITE:workerData
const second = new Worker(workerFile);

// The worker was started with the inherited --import: its parentPort.postMessage is guarded too.
second.postMessage('send a function back');
const [reply] = await Promise.all([new Promise((resolve) => second.once('message', resolve))]);

// Without the guard, Node creates the thread's handle (a thread id is used up) before it fails.
uninstall();
const unguarded = caught(() => new Worker(workerFile, { workerData: bad }));
const third = new Worker(workerFile);
const threadIds = [first.threadId, second.threadId, third.threadId];
await Promise.all([first.terminate(), second.terminate(), third.terminate()]);

console.log(
  JSON.stringify({
    name: error?.name,
    code: error?.code,
    channel: error?.channel,
    at: error?.at,
    firstLine: String(error?.message).split('\n')[0],
    stackTop: String(error?.stack).split('\n').find((l) => l.startsWith('    at ')),
    unguarded: `${unguarded?.name}: ${unguarded?.message}`,
    threadIds,
    reply,
  }),
);
