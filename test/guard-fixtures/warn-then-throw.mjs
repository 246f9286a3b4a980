// Warn mode lets a send that cannot be cloned go ahead: Node's DataCloneError then ends the process,
// and the guard's warning must already be on stderr.
import { MessageChannel } from 'node:worker_threads';

const { port1 } = new MessageChannel();
port1.postMessage({ job: { onDone() {} } }); // SITE:throws
console.log('not reached');
