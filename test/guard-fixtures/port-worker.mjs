// A worker that, when asked, tries parentPort.postMessage() with a function in it and reports
// what the guard (installed by the inherited --import clonecheck/register) did.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {
  try {
    parentPort.postMessage({ result: { done: true, next() {} } }); // SITE:parentPort
    parentPort.postMessage({ sent: true });
  } catch (e) {
    parentPort.postMessage({ name: e.name, at: e.at, code: e.code, firstLine: e.message.split('\n')[0] });
  }
});
