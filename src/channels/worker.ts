// `worker`: Node's structured clone, as `new Worker(file, { workerData })`, `postMessage`,
// `MessagePort`, `BroadcastChannel` and `structuredClone()` use it. The V8 serializer plus Node's
// own host objects (KeyObject, BlockList, Histogram, ...); ports and streams only by transfer.
import { defineChannel } from './define-channel.js';
import { V8_HOST_OBJECTS_THROW, V8_LINE_RULES, V8_ROOT } from './v8-family.js';

export const worker = defineChannel({
  id: 'worker',
  sendName: 'structured clone',
  // Nesting, cause cycles and stacks as the V8 family (v8-family.ts); postMessage to a worker
  // reaches deeper than structuredClone(), whose limit is the one used.
  ...V8_LINE_RULES,
  format: 'v8',
  ipc: false,
  crossesProcesses: false,
  sends: [
    'worker_threads:Worker.workerData',
    'worker_threads:Worker.postMessage',
    'worker_threads:MessagePort.postMessage',
    'worker_threads:BroadcastChannel.postMessage',
    'worker_threads:.structuredClone',
    'globals:.structuredClone',
    'lib:.structuredClone',
    'lib:.postMessage',
    'lib:Worker.postMessage',
    'lib:MessagePort.postMessage',
    'lib:BroadcastChannel.postMessage',
    'lib:DedicatedWorkerGlobalScope.postMessage',
    'lib:Window.postMessage',
    'lib:ServiceWorker.postMessage',
    'lib:Client.postMessage',
    // Worker pools hand the task to a worker by postMessage.
    'piscina:Piscina.run',
    'piscina:.run',
    'tinypool:Tinypool.run',
    'tinypool:.run',
  ],
  root: V8_ROOT,
  views: 'clone',
  hosts: {
    ...V8_HOST_OBJECTS_THROW,
    cloneable: null,
    // From Node 24 a File arrives as a File (measured: test/lines/measured/).
    file: { 20: 'FILE_BECOMES_BLOB', 24: null },
    'extra-prototype': 'HOST_OBJECT_PROTOTYPE_CHANGED',
    'transfer-only': 'TRANSFER_REQUIRED',
    platform: 'PLATFORM_OBJECT_BECOMES_PLAIN',
    // "Cannot transfer object of unsupported type".
    native: 'UNCLONEABLE_TYPE',
    // A Module is shared with the worker (same process); a shared Memory is shared memory.
    'wasm-module': null,
    'wasm-shared-memory': 'SHARED_MEMORY',
    byType: {
      // From Node 21 a URL is marked uncloneable (nodejs/node#60504).
      URL: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 21: 'UNCLONEABLE_TYPE' },
      // From Node 22 these are marked uncloneable too: the send throws instead of sending {}.
      URLSearchParams: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 22: 'UNCLONEABLE_TYPE' },
      Headers: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 22: 'UNCLONEABLE_TYPE' },
      Request: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 22: 'UNCLONEABLE_TYPE' },
      Response: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 22: 'UNCLONEABLE_TYPE' },
      FormData: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 22: 'UNCLONEABLE_TYPE' },
      MessageEvent: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 22: 'UNCLONEABLE_TYPE' },
      // From Node 22 a DOMException is cloned like an Error of its own type: it arrives intact.
      DOMException: { 20: 'PLATFORM_OBJECT_BECOMES_PLAIN', 22: null },
      // From Node 24 a vm.Script (a ContextifyScript) is sent as its own enumerable properties (sourceURL, sourceMapURL).
      ContextifyScript: { 20: 'UNCLONEABLE_TYPE', 24: 'HOST_OBJECT_BECOMES_OBJECT' },
    },
  },
  // Node 20 silently copies a pooled Buffer's store listed for transfer; from Node 21 the send throws.
  pooledTransfer: { 20: 'POOLED_BUFFER_NOT_TRANSFERRED', 21: 'TRANSFER_LIST_INVALID' },
});
