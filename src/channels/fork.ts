// `fork`: `child_process.fork()` / `spawn(..., { stdio: [..., 'ipc'] })` with the default
// serialization, `child.send`, `process.send`, cluster workers: JSON plus Node's IPC quirks.
import { defineChannel } from './define-channel.js';
import { IPC_ROOT, JSON_NESTING_LIMIT } from './json-family.js';

export const fork = defineChannel({
  id: 'fork',
  sendName: 'JSON',
  nestingLimit: JSON_NESTING_LIMIT,
  format: 'json',
  ipc: true,
  serialization: 'json',
  crossesProcesses: true,
  root: IPC_ROOT,
});
