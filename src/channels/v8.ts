// `v8` (opt-in): in-process `v8.serialize()` / `v8.deserialize()`, as caches and snapshots use them.
// Node's DefaultSerializer: views written as host objects (like fork-advanced), but every other
// Node host object throws "Unserializable host object", where fork-advanced sends a plain copy;
// and nothing stands in front of it, so any top-level value but a symbol or function is fine.
import { defineChannel } from './define-channel.js';
import { V8_HOST_OBJECTS_THROW, V8_LINE_RULES, V8_ROOT } from './v8-family.js';

export const v8 = defineChannel({
  id: 'v8',
  sendName: 'v8.serialize()',
  ...V8_LINE_RULES,
  format: 'v8',
  ipc: false,
  crossesProcesses: false,
  sends: ['v8:.serialize', 'v8:Serializer.writeValue'],
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
  viewProperties: 'UNCLONEABLE_TYPE',
});
