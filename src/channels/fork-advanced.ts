// `fork-advanced`: `fork(file, { serialization: 'advanced' })` and cluster with the same setting.
// Node's ChildProcessSerializer: the V8 serializer with views written as host objects, every other
// Node host object sent as `{ ...object }`, no SharedArrayBuffer, and child.send() in front of it
// (top-level refusals, NODE_ messages swallowed).
import { defineChannel } from './define-channel.js';
import { IPC_ROOT } from './json-family.js';

export const forkAdvanced = defineChannel({
  id: 'fork-advanced',
  sendName: 'the advanced (V8) serializer',
  // Chains of 1,928 / 1,581 / 1,624 / 2,466 objects delivered on Node 20 / 22 / 24 / 26; deeper, the
  // child crashes while decoding (test/lines/measured/).
  nestingLimit: { 20: 1800, 22: 1500, 26: 2300 },
  format: 'v8',
  ipc: true,
  crossesProcesses: true,
  root: IPC_ROOT,
  views: 'host',
  hosts: {
    cloneable: 'HOST_OBJECT_BECOMES_OBJECT',
    file: 'HOST_OBJECT_BECOMES_OBJECT',
    'extra-prototype': 'HOST_OBJECT_BECOMES_OBJECT',
    'transfer-only': 'HOST_OBJECT_BECOMES_OBJECT',
    uncloneable: 'HOST_OBJECT_BECOMES_OBJECT',
    platform: 'PLATFORM_OBJECT_BECOMES_PLAIN',
    native: 'HOST_OBJECT_BECOMES_OBJECT',
    // The child cannot read a Module back and exits; the others throw in the sender.
    'wasm-module': 'UNCLONEABLE_TYPE',
    'wasm-memory': 'UNCLONEABLE_TYPE',
    'wasm-shared-memory': 'SHARED_MEMORY_NOT_SERIALIZABLE',
    'wasm-other': 'UNCLONEABLE_TYPE',
  },
  // An Error whose cause chain is a cycle: the send throws on Node 20, the cycle is kept from Node 22.
  errorCauseCycle: { 20: 'ERROR_CAUSE_CYCLE', 22: null },
  // A getter `stack` is read and arrives as data on Node 20; from 22 every Error's stack is an accessor.
  errorStackAccessor: { 20: 'ERROR_FIELD_CHANGED', 22: null },
  errorStackData: { 20: null, 22: 'ERROR_FIELD_CHANGED' },
  // From Node 24 the advanced serializer knows a view by its internal slots (measured: test/lines/measured/).
  viewProperties: { 20: 'UNCLONEABLE_TYPE', 24: null },
});
