// `json` (opt-in): plain `JSON.stringify()` / `JSON.parse()`, as job queues (BullMQ, bee-queue),
// Redis, HTTP bodies and localStorage use them: the `fork` rules without the IPC ones (no NODE_
// messages, no top-level refusals: a top-level undefined is lost, not refused).
import { defineChannel } from './define-channel.js';
import { JSON_NESTING_LIMIT, JSON_ROOT } from './json-family.js';

export const json = defineChannel({
  id: 'json',
  sendName: 'JSON',
  nestingLimit: JSON_NESTING_LIMIT,
  format: 'json',
  ipc: false,
  crossesProcesses: true,
  sends: ['lib:JSON.stringify'],
  root: JSON_ROOT,
});
