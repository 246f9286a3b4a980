// `v8` (opt-in): in-process `v8.serialize()` / `v8.deserialize()`, as caches and snapshots use them.
// Node's DefaultSerializer: views written as host objects (like fork-advanced), but every other
// Node host object throws "Unserializable host object", where fork-advanced sends a plain copy;
// and nothing stands in front of it, so any top-level value but a symbol or function is fine.
import { defineChannel } from './define-channel.js';
import { V8_HOST_OBJECTS_THROW, V8_ROOT } from './v8-family.js';

export const v8 = defineChannel({
  id: 'v8',
  sendName: 'v8.serialize()',
  // Chains of 1,922 / 1,581 / 1,618 / 2,466 objects pass on Node 20 / 22 / 24 / 26 (test/lines/measured/).
  nestingLimit: { 20: 1800, 22: 1500, 26: 2300 },
  format: 'v8',
  ipc: false,
  crossesProcesses: false,
  root: V8_ROOT,
  views: 'host',
  hosts: {
    ...V8_HOST_OBJECTS_THROW,
    // From Node 22 these are plain JavaScript objects to v8.serialize(): it writes their own
    // properties instead of throwing "Unserializable host object" (an X509Certificate on 22 only).
    file: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT' },
    byType: {
      Blob: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT' },
      BlockList: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT' },
      SocketAddress: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT' },
      ReadableStream: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT' },
      WritableStream: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT' },
      TransformStream: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT' },
      X509Certificate: { 20: 'UNCLONEABLE_TYPE', 22: 'HOST_OBJECT_BECOMES_OBJECT', 24: 'UNCLONEABLE_TYPE' },
    },
  },
  // An Error whose cause chain is a cycle: the send throws on Node 20, the cycle is kept from Node 22.
  errorCauseCycle: { 20: 'ERROR_CAUSE_CYCLE', 22: null },
  // A getter `stack` is read and arrives as data on Node 20; from 22 every Error's stack is an accessor.
  errorStackAccessor: { 20: 'ERROR_FIELD_CHANGED', 22: null },
  errorStackData: { 20: null, 22: 'ERROR_FIELD_CHANGED' },
  viewProperties: 'UNCLONEABLE_TYPE',
});
