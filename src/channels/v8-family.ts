// Rules shared by the channels that write with the V8 serializer (worker, fork-advanced, v8).
import type { ChannelDefinition } from './define-channel.js';

/** A top-level symbol or function throws like a nested one; undefined and bigint are values. */
export const V8_ROOT: ChannelDefinition['root'] = { symbol: 'SYMBOL_NOT_CLONEABLE', function: 'FUNCTION_NOT_CLONEABLE' };

/**
 * Node's DefaultSerializer knows no host object but ArrayBuffer views: Blob, KeyObject, MessagePort,
 * streams, ... throw "Unserializable host object". Web-platform classes written in JavaScript (URL,
 * Headers, AbortController, ...) are ordinary objects to it and arrive as `{}`.
 */
export const V8_HOST_OBJECTS_THROW = {
  cloneable: 'UNCLONEABLE_TYPE',
  file: 'UNCLONEABLE_TYPE',
  'extra-prototype': 'UNCLONEABLE_TYPE',
  'transfer-only': 'UNCLONEABLE_TYPE',
  uncloneable: 'UNCLONEABLE_TYPE',
  platform: 'PLATFORM_OBJECT_BECOMES_PLAIN',
  // Node's other native objects (vm.Script, a TLS context, a DNS channel): "Unserializable host object".
  native: 'UNCLONEABLE_TYPE',
  // A WebAssembly.Module is written, but only a thread of the same process can read it back.
  'wasm-module': 'UNCLONEABLE_TYPE',
  'wasm-memory': 'UNCLONEABLE_TYPE',
  'wasm-shared-memory': 'SHARED_MEMORY_NOT_SERIALIZABLE',
  'wasm-other': 'UNCLONEABLE_TYPE',
} as const satisfies NonNullable<ChannelDefinition['hosts']>;
