import { objectIs, regexpExec, stringCharCodeAt } from '../realm/intrinsics.js';
import type { PathSegment } from '../types.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Prints a path for people, in JavaScript accessor style.
 *
 * @example formatPath(['user', 'tags', 2]) // '$.user.tags[2]'
 * @example formatPath(['content-type']) // '$["content-type"]'
 * @example formatPath([Symbol('id')]) // '$[Symbol(id)]'
 * @example formatPath(['cache', { kind: 'map-value', index: 0 }], ['k']) // '$.cache.get("k")'
 */
export function formatPath(path: readonly PathSegment[], mapKeys?: readonly (string | undefined)[]): string {
  let out = '$';
  for (let i = 0; i < path.length; i++) {
    out += formatSegment(path[i]!, mapKeys?.[i]);
  }
  return out;
}

/** One segment of a path: `.a`, `["a-b"]`, `[0]`, `[Symbol(x)]`, `.get("k")`, `.keys()[0]`. */
export function formatSegment(segment: PathSegment, mapKey?: string): string {
  switch (typeof segment) {
    case 'number':
      return `[${segment}]`;
    case 'string':
      return regexpExec(IDENTIFIER, segment) !== null ? `.${segment}` : `[${quote(segment)}]`;
    case 'symbol':
      return `[${String(segment)}]`;
    default:
      switch (segment.kind) {
        case 'map-value':
          return mapKey === undefined ? `.values()[${segment.index}]` : `.get(${mapKey})`;
        case 'map-key':
          return `.keys()[${segment.index}]`;
        case 'set-member':
          return `.values()[${segment.index}]`;
      }
  }
}

/**
 * A Map key as it reads inside `.get(…)`, when it is a primitive that prints back to itself;
 * `undefined` otherwise (then the entry is named by its position).
 */
export function describeMapKey(key: unknown): string | undefined {
  switch (typeof key) {
    case 'string':
      return key.length <= 64 ? quote(key) : undefined;
    case 'number':
      return objectIs(key, -0) ? '-0' : String(key);
    case 'bigint':
      return `${key}n`;
    case 'boolean':
      return String(key);
    case 'undefined':
      return 'undefined';
    case 'object':
      return key === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

const HEX = '0123456789abcdef';

/** A string as a double-quoted JavaScript literal (what JSON.stringify gives, without calling it), with no patchable method. */
export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = stringCharCodeAt(text, i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 32 || (c >= 0xd800 && c <= 0xdfff && !isPairedSurrogate(text, i)))
      out += `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
    else out += text[i];
  }
  return out + '"';
}

function isPairedSurrogate(text: string, i: number): boolean {
  const c = stringCharCodeAt(text, i);
  if (c <= 0xdbff) {
    const next = stringCharCodeAt(text, i + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  const prev = stringCharCodeAt(text, i - 1);
  return prev >= 0xd800 && prev <= 0xdbff;
}
