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

/**
 * What every V8-serializer channel shares across Node.js lines (measured: test/lines/measured/):
 * the nesting depth it survives, and how an Error's cause cycle and own `stack` arrive.
 */
export const V8_LINE_RULES = {
  // Chains of about 1,922 / 1,581 / 1,618 / 2,466 objects pass on Node 20 / 22 / 24 / 26.
  nestingLimit: { 20: 1800, 22: 1500, 26: 2300 },
  // An Error whose cause chain is a cycle: the send throws on Node 20, the cycle is kept from Node 22.
  errorCauseCycle: { 20: 'ERROR_CAUSE_CYCLE', 22: null },
  // A getter `stack` is read and arrives as data on Node 20; from 22 every Error's stack is an accessor.
  errorStackAccessor: { 20: 'ERROR_FIELD_CHANGED', 22: null },
  errorStackData: { 20: null, 22: 'ERROR_FIELD_CHANGED' },
} as const satisfies Pick<ChannelDefinition, 'nestingLimit' | 'errorCauseCycle' | 'errorStackAccessor' | 'errorStackData'>;
