// Run as `node --import clonecheck/register correct-programs.mjs` with the defaults: three programs
// that work in plain Node and lose nothing. Each must run unchanged under the guard. Prints one
// JSON line with what the receivers got; the guard's warnings (reshapes) go to stderr.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { isInstalled } from 'clonecheck/guard';

const ECHO = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage({ workerData });
parentPort.on('message', (m) => parentPort.postMessage({ type: Object.prototype.toString.call(m), length: m.length, isBuffer: Buffer.isBuffer(m) }));
`;

const out = { installed: isInstalled() };

// 1. A frozen workerData (an Immer or Redux state): it arrives unfrozen, with every value.
const state = Object.freeze({ todos: Object.freeze([Object.freeze({ id: 1, text: 'a', done: false })]), filter: 'all' });
const worker = new Worker(ECHO, { eval: true, workerData: state });
const [first] = await once(worker, 'message');
out.workerData = first.workerData;

// 2. A Buffer through worker.postMessage(): it arrives as a Uint8Array with the same bytes.
worker.postMessage(Buffer.alloc(1024));
const [second] = await once(worker, 'message');
out.buffer = second;
await worker.terminate();

// 3. A typed array over an advanced IPC channel: it arrives as a view into a bigger buffer.
const child = fork(new URL('./echo-child.mjs', import.meta.url), [], { serialization: 'advanced' });
await once(child, 'message'); // 'ready'
child.send({ pixels: new Uint8Array([1, 2, 3, 4]) });
const [echo] = await once(child, 'message');
out.pixels = { values: [...echo.echo.pixels], isUint8Array: echo.echo.pixels instanceof Uint8Array };
child.send('bye');
await once(child, 'exit');

console.log(JSON.stringify(out));
