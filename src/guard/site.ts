// Where the user made a send: the call site read from V8's stack, cheaply for the dedupe key and
// as the process prints stacks for people.
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Policy } from './options.js';

export interface Site {
  /** `file:line:column` as V8 has it (before source maps): the key that dedupes by site. */
  readonly key: string;
  /** The call comes from Node itself or from clonecheck's own code, not from the user. */
  readonly internal: boolean;
  /** The call comes from code under a `node_modules` folder: a dependency's own send. */
  readonly dependency: boolean;
  /** The frame's place in the stack below the guard, to find it again in the formatted stack. */
  readonly frame: number;
}

/** The package's folder: this module is src/guard/site.ts, or dist/guard/site.js once built. */
const PACKAGE_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
/** clonecheck's own code, as paths (CommonJS-style stacks) and as file URLs (ES modules). */
const OWN_PREFIXES = ['dist', 'src'].flatMap((dir) => [join(PACKAGE_ROOT, dir) + sep, pathToFileURL(join(PACKAGE_ROOT, dir)).href + '/']);
export const UNKNOWN_SITE: Site = { key: '<unknown>', internal: false, dependency: false, frame: -1 };
const NODE_MODULES = /[\\/]node_modules[\\/]/;
const FRAMES = 10;
const keepFrames = (_error: Error, frames: NodeJS.CallSite[]): NodeJS.CallSite[] => frames;

/**
 * The first stack frame below `caller` that is in a file. A frame of Node (`node:`) or of
 * clonecheck means the send is not the user's: Node's Worker stdio, cluster's `NODE_CLUSTER`
 * messages and clonecheck's `roundTrip()` receivers all send through the same methods. Frames
 * without a file (`Array.prototype.forEach`, `new Promise`, eval code) are stepped over.
 *
 * It reads V8's call sites rather than the text of `new Error().stack`, which costs several times
 * as much to format; `once: 'site'` needs the site of every send.
 */
export function siteOf(caller: Function): Site {
  // The caller's own frame is nearly always the one: a stack of one frame costs half of ten.
  return siteIn(framesBelow(caller, 1)) ?? siteIn(framesBelow(caller, FRAMES)) ?? UNKNOWN_SITE;
}

/** V8's call sites below `caller`, at most `limit`. */
function framesBelow(caller: Function, limit: number): unknown {
  const holder: { stack?: unknown } = {};
  const prepare = Error.prepareStackTrace;
  const previous = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = keepFrames;
    Error.stackTraceLimit = limit;
    Error.captureStackTrace(holder, caller);
    return holder.stack;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = previous;
  }
}

/** The site of the first of `frames` in a file, or undefined when none is. */
function siteIn(frames: unknown): Site | undefined {
  if (!Array.isArray(frames)) return undefined;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as NodeJS.CallSite;
    const file = frame.getFileName();
    if (!file || frame.isEval()) continue;
    const key = `${file}:${frame.getLineNumber() ?? 0}:${frame.getColumnNumber() ?? 0}`;
    const internal = file.startsWith('node:') || OWN_PREFIXES.some((prefix) => file.startsWith(prefix));
    return { key, internal, dependency: !internal && NODE_MODULES.test(file), frame: i };
  }
  return undefined;
}

/**
 * The site for people, as the process prints stacks: through source maps when they are on
 * (`--enable-source-maps`, tsx, Vitest), and as a path rather than a file URL. Only called on
 * the way to a report, from the same call as `siteOf`, so the frames line up.
 */
export function siteText(site: Site, caller: Function): string {
  let where = site.key;
  if (site.frame >= 0) {
    const holder: { stack?: unknown } = {};
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = FRAMES;
      Error.captureStackTrace(holder, caller);
    } finally {
      Error.stackTraceLimit = limit;
    }
    const lines = typeof holder.stack === 'string' ? holder.stack.split('\n').filter((l) => l.startsWith('    at ')) : [];
    const formatted = lines[site.frame] === undefined ? undefined : locationOf(lines[site.frame]!);
    if (formatted !== undefined && /:\d+:\d+$/.test(formatted)) where = formatted;
  }
  const m = /^(file:\/\/.*)(:\d+:\d+)$/.exec(where);
  try {
    return m ? fileURLToPath(m[1]!) + m[2]! : where;
  } catch {
    return where;
  }
}

/** `'/app/x.js:3:9'` from `'    at fn (/app/x.js:3:9)'`, `'    at /app/x.js:3:9'` or `'    at async fn (...)'`. */
function locationOf(line: string): string {
  const text = line.trim().slice(3);
  if (!text.endsWith(')')) return text.startsWith('async ') ? text.slice(6) : text;
  // The place is in the last balanced parentheses: 'fn (place)', 'new X (place)'.
  let level = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') level++;
    else if (text[i] === '(' && --level === 0) return text.slice(i + 1, -1);
  }
  return text;
}

/** Not the user's send: Node's or clonecheck's own, or (unless asked) a dependency's. */
export function notTheUsers(policy: Policy, site: Site, explicit: boolean): boolean {
  return !explicit && (site.internal || (site.dependency && !policy.nodeModules));
}
