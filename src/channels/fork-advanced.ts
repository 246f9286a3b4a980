// `fork-advanced`: `fork(file, { serialization: 'advanced' })` and cluster with the same setting.
// Node's ChildProcessSerializer: the V8 serializer with views written as host objects, every other
// Node host object sent as `{ ...object }`, no SharedArrayBuffer, and child.send() in front of it
// (top-level refusals, NODE_ messages swallowed).
import { defineChannel } from './define-channel.js';
import { V8_LINE_RULES } from './v8-family.js';
import { IPC_ROOT } from './json-family.js';

export const forkAdvanced = defineChannel({
  id: 'fork-advanced',
  sendName: 'the advanced (V8) serializer',
  // Nesting, cause cycles and stacks as the V8 family (v8-family.ts); the child crashes while
  // decoding a message just past the nesting limit.
  ...V8_LINE_RULES,
  format: 'v8',
  ipc: true,
  serialization: 'advanced',
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
  // From Node 24 the advanced serializer knows a view by its internal slots (measured: test/lines/measured/):
  // a view whose own properties read wrong is sent, and a view over a detached buffer arrives as an
  // empty view (DETACHED_VIEW_BECOMES_EMPTY) where Node 20 and 22 throw constructing one over it.
  viewProperties: { 20: 'UNCLONEABLE_TYPE', 24: null },
});
