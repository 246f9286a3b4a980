// All of clonecheck's wording: one sentence and one hint per code, made from the finding's args.
// Detection never writes text; reporters only lay these out.
import { channelInfo } from '../channels/index.js';
import type { Channel, Effect } from '../types.js';
import { CODE_EFFECT, type FindingArgs, type FindingArgsByCode, type FindingCode } from './codes.js';
import { quote } from './path.js';
import { regexpExec, stringSlice, stringToUpperCase } from '../realm/intrinsics.js';
import type { OriginFacts, OriginHint, Place } from './codes.js';

/** `, defined at src/jobs.ts:41:18,` for a function whose origin is known. */
const definedAt = (o: OriginFacts | undefined): string => (o?.definedAt ? `, defined at ${o.definedAt},` : '');

/** ` It closes over db (a Pool, recreate it) and prefix (a string, send it as data).` */
function closesOver(o: OriginFacts | undefined): string {
  const c = o?.captures;
  if (!c || c.length === 0) return '';
  const shown: string[] = [];
  for (let i = 0; i < c.length && i < 5; i++) shown[i] = `${c[i]!.name} (${a(c[i]!.kind)}, ${c[i]!.travel === 'data' ? 'sendable as data' : 'not sendable'})`;
  return ` It closes over ${joined(shown, ', ')}${c.length > 5 ? ` and ${c.length - 5} more` : ''}.`;
}

// Messages are made during a check, so they use no Array.prototype or String.prototype method the
// user's code could have replaced: plain loops, and built-ins captured at load.
function joined(items: readonly string[], separator: string, end = items.length): string {
  let out = '';
  for (let i = 0; i < end && i < items.length; i++) out += i === 0 ? items[i]! : separator + items[i]!;
  return out;
}

/** `src/jobs.ts:41:18`. */
export function formatPlace(place: Place): string {
  return `${place.file}${place.line !== undefined ? `:${place.line}` : ''}${place.line !== undefined && place.column !== undefined ? `:${place.column}` : ''}`;
}

/** `prefix (a string), db (a Pool)`. */
function captureList(items: readonly { readonly name: string; readonly kind: string }[]): string {
  const shown: string[] = [];
  for (let i = 0; i < items.length; i++) shown[i] = `${items[i]!.name} (${a(items[i]!.kind)})`;
  return joined(shown, ', ');
}

/** What to send instead of a function or a class instance (`args.origin.instead`), in one or two plain sentences. */
export function formatOriginHint(hint: OriginHint): string {
  switch (hint.kind) {
    case 'reference':
      return `Send a reference instead: { module: '${hint.module}', name: '${hint.name}' }, and import() it in the worker or child.`;
    case 'top-level':
      // V8 keeps no scope for an enclosing function whose variables a function does not use, so
      // "captures nothing" is what is known: top-level, or inside a function without using it.
      return `It is defined at ${formatPlace(hint.definedAt)} and captures nothing from an enclosing function: export it from its module (at the top level), send { module: '${hint.module}', name: '${hint.name ?? '<its export name>'}' } and import() it in the worker or child.`;
    case 'closure': {
      const where = hint.definedAt ? ` defined at ${formatPlace(hint.definedAt)}` : '';
      let text = `It is a closure${where}: move it into a module the worker or child imports, and send its name.`;
      if (hint.data.length) text += ` Send ${captureList(hint.data)} as data.`;
      if (hint.recreate.length) text += ` Create ${captureList(hint.recreate)} again on the other side.`;
      return text;
    }
    case 'class': {
      const where = hint.definedAt ? `; the class is defined at ${formatPlace(hint.definedAt)}` : '';
      const ref = hint.module
        ? ` (import it from '${hint.module}'${hint.exportName && hint.exportName !== hint.className ? ` as ${hint.exportName}` : ''})`
        : '';
      return `Send the data and call new ${hint.className}(data) in the worker or child${ref}${where}.`;
    }
    case 'method': {
      const what = hint.name ? `the method ${hint.name}` : 'a method';
      const where = hint.definedAt ? ` defined at ${formatPlace(hint.definedAt)}` : '';
      return `It is ${what}${where}: send the object's data and call the method on an object rebuilt on the other side.`;
    }
    case 'built-in':
      return `It is the built-in ${hint.name ? `${hint.name}` : 'function'}: send its name and look it up on the other side.`;
    case 'bound':
      return `It is a bound function${hint.name ? ` (${hint.name})` : ''}: send the target's name and the bound arguments as data, and bind it again on the other side.`;
  }
}

interface Wording<A> {
  /** One plain sentence (no path, no colour) from the finding's facts. */
  readonly message: (args: A, channel: Channel) => string;
  readonly hint?: string | ((args: A, channel: Channel) => string | undefined);
}

type Wordings = { readonly [C in FindingCode]: Wording<FindingArgsByCode[C]> };

const sendName = (ch: Channel): string => channelInfo(ch).sendName;
/** The type name the walk gives a JSON.rawJSON() object. */
const RAW_JSON = 'JSON.rawJSON() object';

const list = (names: readonly string[] | undefined, max = 5): string =>
  !names || names.length === 0 ? '' : names.length <= max ? joined(names, ', ') : `${joined(names, ', ', max)} and ${names.length - max} more`;

/** The article as it is said: "an arrow function", "an Error", but "a URL", "a Uint8Array", "a user". */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const AN = /^(?:[aeio]|u(?!ni|int|rl|se|sv|tf))/i;
const INITIALISM = /^U[A-Z]/;
const a = (type: string | undefined): string =>
  type && regexpExec(AN, type) !== null && regexpExec(INITIALISM, type) === null ? `an ${type}` : `a ${type ?? 'value'}`;

function capital(s: string): string {
  return s === '' ? s : stringToUpperCase(stringSlice(s, 0, 1)) + stringSlice(s, 1);
}

const ERROR_FIELD_CHANGE = {
  string: 'becomes a string',
  'non-enumerable': 'becomes non-enumerable',
  writable: 'becomes writable and configurable',
  'own-undefined': 'arrives as an own undefined stack',
  data: 'arrives as a data property (the serializer runs its getter once)',
  accessor: "arrives as the receiver's own stack accessor, holding the string",
} as const;

const JSON_THROWS_REASON = {
  'tojson-receiver': (type: string) => `JSON calls the built-in ${type}.prototype.toJSON() on an object that is not a ${type}`,
  'tojson-uncallable': (type: string) => `The toJSON that JSON calls is ${a(type)}, which cannot be called that way`,
  'no-primitive': (type: string) => `JSON converts this boxed ${type} to a primitive, and nothing on its prototype chain can`,
  'revoked-prototype': () => 'JSON looks for toJSON through the prototype chain, and a revoked Proxy on it throws',
} as const;

const WORDING: Wordings = {
  // ---- the send throws ----
  FUNCTION_NOT_CLONEABLE: {
    message: (x, ch) =>
      `${capital(a(x.type))}${x.name ? ` (${x.name})` : ''}${definedAt(x.origin)} cannot be copied by ${sendName(ch)}, so the send throws.${closesOver(x.origin)}`,
    hint: (x) =>
      x.origin?.instead ? formatOriginHint(x.origin.instead) : 'Send data, not behaviour: pass a name or an id and look the function up on the other side.',
  },
  SYMBOL_NOT_CLONEABLE: {
    message: (x, ch) => `A ${x.type ?? 'symbol'} cannot be copied by ${sendName(ch)}, so the send throws.`,
    hint: "Send the symbol's description (a string) and map it back on the other side.",
  },
  SEND_REFUSES_VALUE: {
    message: (x) => `child.send() and process.send() refuse ${a(x.type)} as the whole message (ERR_INVALID_ARG_TYPE / ERR_MISSING_ARGS).`,
    hint: 'Wrap it in an object, e.g. send({ value }), with a type the channel can carry.',
  },
  BIGINT_NOT_JSON: {
    message: (x) => `JSON cannot serialize ${a(x.type ?? 'bigint')}: the send throws "Do not know how to serialize a BigInt".`,
    hint: "Send it as a string (value.toString()) or fork with serialization: 'advanced'.",
  },
  CIRCULAR_NOT_JSON: {
    message: (x) => `This object is its own ancestor (first reached at ${x.firstSeen ?? '$'}); JSON throws on cycles.`,
    hint: "Break the cycle (send ids instead of back-references) or fork with serialization: 'advanced'.",
  },
  UNCLONEABLE_TYPE: {
    message: (x, ch) => `${capital(a(x.type))} cannot be copied by ${sendName(ch)}, so the send throws.`,
    hint: (x) =>
      x.type === 'Promise'
        ? 'Await it and send the result.'
        : x.type === 'arguments object'
          ? 'Send Array.from(arguments) or rest parameters instead.'
          : 'Send the plain data it holds instead.',
  },
  PROXY_NOT_CLONEABLE: {
    message: (_x, ch) => `A Proxy cannot be copied by ${sendName(ch)} (no trap runs), so the send throws.`,
    hint: 'Send the unwrapped target, e.g. toRaw(value) for Vue or current(value) for Immer.',
  },
  REVOKED_PROXY: {
    message: () => 'A revoked Proxy cannot be read or copied on any channel, so the send throws.',
  },
  DETACHED_BUFFER: {
    message: (x) => `${capital(a(x.type))} whose memory was transferred away (detached) cannot be copied, so the send throws.`,
    hint: 'Send the data before transferring its buffer, or send a fresh copy.',
  },
  SHARED_MEMORY_NOT_SERIALIZABLE: {
    message: (_x, ch) =>
      channelInfo(ch).crossesProcesses
        ? `A SharedArrayBuffer cannot cross a process boundary: ${sendName(ch)} throws.`
        : `A SharedArrayBuffer cannot be written by ${sendName(ch)}: it throws.`,
    hint: 'Share memory with worker_threads instead, or send a copy (new Uint8Array(sab).slice()).',
  },
  TRANSFER_REQUIRED: {
    message: (x) =>
      `${capital(a(x.type))} can only be moved, not copied: without it in the transferList the send throws ERR_MISSING_TRANSFERABLE_IN_TRANSFER_LIST.`,
    hint: 'Pass it in the transferList: postMessage(value, [port]) or new Worker(file, { workerData, transferList }).',
  },
  TRANSFER_LIST_INVALID: {
    message: (x) =>
      x.reason === 'pooled'
        ? "This Buffer's memory is Node's shared Buffer pool, which cannot be transferred: the send throws."
        : x.reason === 'duplicate'
          ? `The transferList lists the same ${x.type} twice (entry ${x.index}), so the send throws.`
          : x.reason === 'view'
            ? `The transferList entry ${x.index} is ${a(x.type)}, not its buffer, so the send throws (transfer view.buffer).`
            : `The transferList entry ${x.index} (${a(x.type)}) cannot be transferred, so the send throws.`,
    hint: 'Transfer ArrayBuffers (view.buffer, not the view), MessagePorts and streams, each once.',
  },
  NESTING_TOO_DEEP: {
    message: (x, ch) =>
      `Nesting reaches depth ${x.depth} here; ${sendName(ch)} overflows the stack at about ${x.limit} levels on Node ${x.node} (approximate, it depends on the caller's stack).`,
    hint: 'Flatten deep chains into an array of nodes with parent ids.',
  },
  JSON_TOO_LONG: {
    message: (x) => `An array of length ${x.count} would turn into more text than a JavaScript string can hold, so JSON throws "Invalid string length".`,
    hint: "Send the entries that exist (Object.entries) or fork with serialization: 'advanced'.",
  },

  // ---- something is missing on the receiver ----
  TOP_LEVEL_DROPPED: {
    message: (x, ch) =>
      `JSON.stringify() gives undefined for ${a(x.type)} as the whole value: ${sendName(ch)} has no text to send, and JSON.parse() of it throws.`,
    hint: 'Wrap it in an object, e.g. { value }, with a type JSON can carry (null for no value).',
  },
  FUNCTION_DROPPED: {
    message: (x) =>
      `${capital(a(x.type))}${x.name ? ` (${x.name})` : ''}${definedAt(x.origin)} is left out by JSON: the key is absent on the receiver.${closesOver(x.origin)}`,
    hint: (x) =>
      x.origin?.instead ? formatOriginHint(x.origin.instead) : 'Send data, not behaviour: pass a name or an id and look the function up on the other side.',
  },
  SYMBOL_VALUE_DROPPED: {
    message: () => 'A symbol value is left out by JSON: the key is absent on the receiver.',
    hint: "Send the symbol's description (a string) instead.",
  },
  UNDEFINED_DROPPED: {
    message: () => 'A property whose value is undefined is left out by JSON: the key is absent on the receiver.',
    hint: "Use null for 'no value', or fork with serialization: 'advanced'.",
  },
  SYMBOL_KEY_DROPPED: {
    message: () => 'Symbol-keyed properties never cross a thread or process boundary.',
    hint: 'Use a string key for data that must arrive.',
  },
  NON_ENUMERABLE_DROPPED: {
    message: (x) => `A non-enumerable ${x.getter || x.setter ? 'accessor' : 'property'} is not copied.`,
    hint: 'Make it an ordinary enumerable property if the receiver needs it.',
  },
  EXTRA_PROPERTY_DROPPED: {
    message: (x, ch) =>
      `A property added to ${a(x.type)} is not copied by ${sendName(ch)}: only the ${x.type === 'Array' ? 'elements' : 'built-in data'} arrive.`,
    hint: 'Wrap the two in a plain object: { items, meta }.',
  },
  ERROR_PROPERTY_DROPPED: {
    message: (x, ch) => `The Error's own property ${quote(x.key)} is not copied by ${sendName(ch)}: only message, stack and cause arrive.`,
    hint: 'Send the error as data ({ name, message, code, ... }) and rebuild it on the other side.',
  },
  ERROR_FIELD_NOT_STRING: {
    message: (x, ch) => `The Error's ${quote(x.key)} holds ${a(x.type)}; ${sendName(ch)} converts it to a string, which throws, so the send throws.`,
    hint: 'Give errors string names and messages.',
  },
  ERROR_CAUSE_CYCLE: {
    message: (_x, ch) =>
      `This Error's cause leads back to the Error itself; ${sendName(ch)} writes it, but the receiver cannot read it back (a messageerror on a worker, a crashed child over IPC).`,
    hint: 'Break the cycle: keep the cause chain free of back-references to the error.',
  },
  JSON_THROWS: {
    message: (x) => `${JSON_THROWS_REASON[x.why](x.type)}, so JSON.stringify throws and the send throws.`,
    hint: 'Send plain data here (or give the object a toJSON() of its own that returns data).',
  },
  CHECK_INCOMPLETE: {
    message: (x) => `clonecheck could not finish judging this value (${x.error}); what it reports is incomplete, so it is not called lossless.`,
    hint: 'Please report this value to clonecheck.',
  },
  ERROR_FIELD_CHANGED: {
    message: (x) => {
      const changes: string[] = [];
      for (let i = 0; i < x.changes.length; i++) changes[i] = ERROR_FIELD_CHANGE[x.changes[i]!];
      return `The Error's ${quote(x.key)} ${joined(changes, ' and ')}.`;
    },
    hint: 'Set message, stack and cause as ordinary strings and objects, or send the error as data.',
  },
  ERROR_NAME_DROPPED: {
    message: (x) =>
      `The Error's own name ${x.name !== undefined ? quote(x.name) : `(${a(x.type)})`} is not copied as a property: the serializers only use it to pick one of the native Error types.`,
    hint: 'Send the name as data next to the error, or use one of the native Error types.',
  },
  PRIVATE_FIELDS_DROPPED: {
    message: (x) =>
      `${x.className ? `The class ${x.className}` : 'The class'} declares private fields (${list(x.fields)}); #private state never crosses a boundary.`,
    hint: 'Expose the state the receiver needs as public data (e.g. a toData() method) and rebuild the instance.',
  },
  MESSAGE_SWALLOWED: {
    message: (x) =>
      `A message whose cmd starts with "NODE_" (${quote(x.cmd)}) is taken by Node as an internal message: the child never gets a 'message' event (and a cmd Node itself acts on, such as NODE_HANDLE or NODE_HANDLE_ACK, can crash the child or the sender).`,
    hint: 'Rename the cmd field, or nest the payload: send({ type: cmd, ... }).',
  },

  // ---- it arrives, but not the same ----
  PROTOTYPE_LOST: {
    message: (x) => {
      const lost: string[] = [];
      if (x.methods?.length) lost[lost.length] = `methods (${list(x.methods)})`;
      if (x.getters?.length) lost[lost.length] = `getters (${list(x.getters)})`;
      if (x.setters?.length) lost[lost.length] = `setters (${list(x.setters)})`;
      const names = lost.length > 1 ? `${joined(lost, ', ', lost.length - 1)} and ${lost[lost.length - 1]}` : lost[0];
      return `${x.className ? `An instance of ${x.className}` : 'An object with a custom prototype'} arrives as a plain object${names ? `, without its ${names}` : ''}.`;
    },
    hint: (x) =>
      x.origin?.instead
        ? formatOriginHint(x.origin.instead)
        : `Send plain data and rebuild the instance on the other side (e.g. ${x.className && regexpExec(IDENTIFIER, x.className) !== null ? `new ${x.className}(data)` : 'a constructor or factory of yours'}).`,
  },
  NULL_PROTOTYPE_LOST: {
    message: () => 'An object with a null prototype arrives with Object.prototype.',
    hint: 'Harmless for data; rebuild with Object.assign(Object.create(null), value) if the receiver relies on it.',
  },
  SUBCLASS_LOST: {
    message: (x) =>
      `${x.className ? `An instance of ${x.className}` : `${capital(a(x.base))} with ${x.nullPrototype ? 'a null' : 'a custom'} prototype`} arrives as a plain ${x.base}: the subclass and its methods are lost.`,
    hint: (x) => `Send the ${x.base} and wrap it again on the other side.`,
  },
  ERROR_TYPE_CHANGED: {
    message: (x) =>
      `${capital(a(x.subclass ? `${x.from} subclass` : x.from))} arrives as a plain ${x.to}: only the native Error types cross, picked by the error's name.`,
    hint: 'Send the error as data ({ name, message, code, ... }) and rebuild it on the other side.',
  },
  ERROR_BECOMES_OBJECT: {
    message: (x) => `${capital(a(x.type ?? 'Error'))} becomes a plain object with only its enumerable own properties: message, stack and cause are lost.`,
    hint: "Send { name, message, stack, ...fields } explicitly, or fork with serialization: 'advanced'.",
  },
  ACCESSOR_FLATTENED: {
    message: (x) =>
      x.getter
        ? 'This getter is run during the send and arrives as a plain data property (if it throws, the send throws).'
        : 'This setter-only accessor arrives as a data property whose value is undefined.',
    hint: 'Send the value itself as data; recompute derived values on the other side.',
  },
  INTEGRITY_LOST: {
    message: (x) => `A ${x.integrity} object arrives extensible, with every property writable and configurable.`,
    hint: 'Freeze it again on the receiving side if it must stay immutable.',
  },
  READONLY_LOST: {
    message: (x) => {
      const becomes: string[] = [];
      for (let i = 0; i < x.attributes.length; i++) {
        const a = x.attributes[i];
        becomes[becomes.length] =
          a === 'read-only' ? 'writable' : a === 'non-configurable' ? 'configurable' : a === 'non-enumerable' ? 'enumerable' : `not ${a}`;
      }
      return `A ${list(x.attributes)} property arrives ${list(becomes)}.`;
    },
    hint: 'Restore the attributes with Object.defineProperty on the receiving side if they matter.',
  },
  NUMBER_NOT_JSON: {
    message: (x) => `JSON has no ${x.value}: it arrives as ${x.value === '-0' ? '0' : 'null'}.`,
    hint: "Send it as a string, or fork with serialization: 'advanced'.",
  },
  RAW_JSON_ROUNDED: {
    message: (x) => `A JSON.rawJSON() number is written as ${x.text}, but JSON.parse() on the receiving side makes it ${x.value}: its digits are lost.`,
    hint: 'Send it as a string (or a bigint as its decimal string) and convert it on the other side.',
  },
  ARRAY_ELEMENT_BECOMES_NULL: {
    message: (x) => `${capital(a(x.type))} in an array arrives as null through JSON.`,
    hint: "Filter it out before sending, or fork with serialization: 'advanced'.",
  },
  ARRAY_HOLES_BECOME_NULL: {
    message: (x) => `This array has ${x.count} hole${x.count === 1 ? '' : 's'}; JSON fills each with null.`,
    hint: 'Send the entries that exist (Object.entries) or a dense array.',
  },
  DATE_BECOMES_STRING: {
    message: () => 'A Date arrives as its ISO string through JSON.',
    hint: 'Revive it on the other side (new Date(value)), or send date.getTime().',
  },
  INVALID_DATE_BECOMES_NULL: {
    message: () => 'An invalid Date arrives as null through JSON.',
    hint: 'Send null explicitly, or validate the date before sending.',
  },
  MAP_BECOMES_OBJECT: {
    message: (x) =>
      `A Map${x.count === undefined ? '' : ` with ${x.count} entr${x.count === 1 ? 'y' : 'ies'}`} arrives as a plain object with no entries through JSON.`,
    hint: "Send Object.fromEntries(map) or [...map], or fork with serialization: 'advanced'.",
  },
  SET_BECOMES_OBJECT: {
    message: (x) =>
      `A Set${x.count === undefined ? '' : ` with ${x.count} member${x.count === 1 ? '' : 's'}`} arrives as a plain object with no members through JSON.`,
    hint: "Send [...set], or fork with serialization: 'advanced'.",
  },
  TYPED_ARRAY_BECOMES_OBJECT: {
    message: (x) => `${capital(a(x.type))} arrives through JSON as a plain object keyed "0", "1", ... (NaN and Infinity as null).`,
    hint: "Send Array.from(view) or a base64 string, or fork with serialization: 'advanced'.",
  },
  BUFFER_BECOMES_JSON: {
    message: () => 'A Buffer arrives through JSON as { type: "Buffer", data: [...] } and is not revived.',
    hint: "Send buf.toString('base64') and decode it, or fork with serialization: 'advanced'.",
  },
  BUILTIN_BECOMES_OBJECT: {
    message: (x) => `${capital(a(x.type))} arrives through JSON as a plain object holding only its enumerable own properties.`,
    hint: (x) =>
      x.type === 'RegExp'
        ? 'Send { source, flags } and rebuild it with new RegExp(source, flags).'
        : "Send the data it holds explicitly, or fork with serialization: 'advanced'.",
  },
  BOXED_PRIMITIVE_UNBOXED: {
    message: (x) =>
      x.type === RAW_JSON
        ? `A ${RAW_JSON} arrives through JSON as what its text parses to, a primitive.`
        : `A boxed ${x.type} (new ${x.type}(...)) arrives through JSON as the primitive it wraps.`,
    hint: (x) => (x.type === RAW_JSON ? 'Harmless if the receiver expects the value; it is what JSON.rawJSON() is for.' : 'Send the primitive itself.'),
  },
  PLATFORM_OBJECT_BECOMES_PLAIN: {
    message: (x, ch) =>
      x.viaToJSON
        ? `${capital(a(x.type))} arrives as what its toJSON() returns (a string or plain object), not as ${a(x.type)}.`
        : `${capital(a(x.type))} arrives as a plain object without its internal state: ${sendName(ch)} does not know this type.`,
    hint: (x) =>
      x.type === 'URL'
        ? 'Send url.href and rebuild it with new URL(href).'
        : x.type === 'URLSearchParams'
          ? 'Send params.toString() and rebuild it with new URLSearchParams(text).'
          : x.type === 'Headers'
            ? 'Send Object.fromEntries(headers) and rebuild it with new Headers(object).'
            : 'Send the data it holds and rebuild it on the other side.',
  },
  HOST_OBJECT_BECOMES_OBJECT: {
    message: (x, ch) =>
      `${capital(a(x.type))} is a Node object that ${sendName(ch)} cannot carry: it arrives as a plain copy of its enumerable own properties.`,
    hint: (x) =>
      x.type === 'KeyObject'
        ? "Export the key (key.export({ format: 'jwk' })) or send it to a Worker instead."
        : 'Send the data it holds, or use worker_threads, which clone this type.',
  },
  HOST_OBJECT_PROTOTYPE_CHANGED: {
    message: (x) => `${capital(a(x.type))} arrives working, but with an extra internal prototype in front of ${x.type}.prototype.`,
  },
  FILE_BECOMES_BLOB: {
    message: () => 'A File arrives as a Blob: its name and lastModified are lost.',
    hint: 'Send { name, lastModified, blob } and rebuild the File on the other side.',
  },
  BUFFER_BECOMES_UINT8ARRAY: {
    message: () => 'A Buffer arrives as a plain Uint8Array, without Buffer methods such as toString(encoding).',
    hint: 'Wrap it again on the other side: Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).',
  },
  VIEW_REBASED: {
    message: (x, ch) =>
      `${capital(a(x.type))} arrives as a window at another offset into a bigger buffer of the receiver's (${channelInfo(ch).ipc ? 'the raw IPC read chunk' : 'the bytes given to v8.deserialize()'}, or Node's 8 KiB pool for unaligned multi-byte views): ${x.resizable ? 'it is no longer length-tracking, ' : ''}views that shared one ArrayBuffer no longer do, and .buffer exposes unrelated bytes.`,
    hint: 'Copy it on arrival (new Uint8Array(view) or view.slice() for typed arrays) before using .buffer, or send the ArrayBuffer itself.',
  },
  DETACHED_VIEW_BECOMES_EMPTY: {
    message: (x, ch) =>
      `${capital(a(x.type))} whose memory was transferred away (detached) is written by ${sendName(ch)} as an empty view: no error, and the receiver gets no bytes.`,
    hint: 'Send the data before transferring its buffer, or send a fresh copy.',
  },
  SHARED_VIEW_COPIED: {
    message: (x) => `${capital(a(x.type))} over a SharedArrayBuffer is silently copied: the child's writes are not shared.`,
    hint: 'Use worker_threads to share memory; processes cannot.',
  },
  SHARED_REFERENCE_DUPLICATED: {
    message: (x) => `This object is also reached at ${x.firstSeen}; JSON sends two separate copies, so the receiver's two paths no longer lead to one object.`,
    hint: "Send it once and refer to it by id, or fork with serialization: 'advanced'.",
  },
  TOJSON_CALLED: {
    message: (x, ch) =>
      `JSON calls this object's ${x.own ? 'own' : 'inherited'} toJSON()${x.className ? ` (${x.className})` : ''} during the send and sends what it returns${
        channelInfo(ch).ipc ? '; at the top level, a toJSON() that returns undefined crashes the child' : ''
      }.`,
    hint: 'Send the plain data you want the receiver to get.',
  },
  PROXY_UNWRAPPED: {
    message: () => 'JSON reads through this Proxy, running its traps during the send, and sends an ordinary copy.',
    hint: 'Send the unwrapped target.',
  },
  REGEXP_LASTINDEX_RESET: {
    message: (x) => `The RegExp's lastIndex (${x.value}) is reset to 0.`,
    hint: 'Send lastIndex next to the RegExp if a sticky or global search must resume.',
  },

  // ---- arrives the same, something to know ----
  SHARED_MEMORY: {
    message: () => 'This SharedArrayBuffer memory stays shared: writes on either side are visible to the other, so concurrent read-modify-write needs Atomics.',
    hint: 'Use Atomics.add/compareExchange (and Atomics.wait/notify) for anything both sides write.',
  },
  BACKING_STORE_COPIED: {
    message: (x) =>
      x.pooled
        ? `This ${x.bytes}-byte Buffer lives in Node's shared ${x.storeBytes}-byte pool: the whole pool is copied, and the receiver can read other data in it through .buffer.`
        : `This ${x.bytes}-byte view sits in a ${x.storeBytes}-byte ArrayBuffer: the whole ArrayBuffer is copied.`,
    hint: 'Send a tight copy (new Uint8Array(view); note that Buffer#slice shares memory) or allocate with Buffer.alloc() to send only the bytes you mean.',
  },
  TRANSFERRED: {
    message: (x) => `${capital(a(x.type))} is moved by the transferList: the sender's copy is detached (empty) after the send.`,
  },
  POOLED_BUFFER_NOT_TRANSFERRED: {
    message: (x) =>
      `This Buffer's memory is Node's shared ${x.storeBytes}-byte pool, which cannot be transferred: it is silently copied instead, pool and all.`,
    hint: 'Allocate with Buffer.alloc() (not pooled) to really transfer, or transfer a tight copy: new Uint8Array(buf).buffer.',
  },
};

/** Every rule of the checker, by code: its effect, its sentence and its hint (see docs/codes.md). */
export const codeInfo: { readonly [C in FindingCode]: { readonly effect: Effect } & Wording<FindingArgsByCode[C]> } = Object.fromEntries(
  Object.keys(CODE_EFFECT).map((code) => [code, { effect: CODE_EFFECT[code as FindingCode], ...WORDING[code as FindingCode] }]),
) as never;

export function messageFor(code: FindingCode, args: FindingArgs, channel: Channel): string {
  return (WORDING[code] as Wording<FindingArgs>).message(args, channel);
}

export function hintFor(code: FindingCode, args: FindingArgs, channel: Channel): string | undefined {
  const hint = (WORDING[code] as Wording<FindingArgs>).hint;
  return typeof hint === 'function' ? hint(args, channel) : hint;
}
