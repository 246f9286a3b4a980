// check(): reads the options, builds the channel masks for the target, walks once, and hands back
// plain findings, with `ignore` applied. The pipeline: walk -> classify -> channel rules -> findings.
import { CHANNEL_DEFINITIONS } from '../channels/index.js';
import { didYouMean } from '../policy/suggest.js';
import { compileIgnore, IGNORE_NOTHING } from '../policy/ignore.js';
import { channelsProblem, maxFindingsProblem, targetProblem } from '../policy/settings.js';
import { getOwnPropertyDescriptor, hasOwn, isArray, isProxy, SafeMap, types } from '../realm/intrinsics.js';
import { CHANNELS, DEFAULT_TARGET, lineOf, type Channel, type CheckOptions, type CheckResult, type Finding, type Severity, type Target } from '../types.js';
import { IgnoredFindings } from '../walk/emit.js';
import { Walker } from '../walk/kinds.js';
import { attachOrigins, instanceOriginLookup, originOptions } from './origins.js';
import { buildMasks, type ChannelMasks } from '../walk/masks.js';

export { NESTING_LIMITS } from '../channels/index.js';

/** The option names check() knows; any other is a TypeError with a suggestion. */
const OPTION_NAMES: readonly (keyof CheckOptions)[] = ['channels', 'transferList', 'root', 'maxFindings', 'target', 'ignore', 'origins'];

export { DEFAULT_TARGET, lineOf };

/**
 * Walks `value` once and reports, per channel and path by path, what would throw, what would be
 * lost or changed, and what stays shared. Never runs the value's code, never throws on a value,
 * never copies. Bad options (an unknown name, channel or target) are a TypeError.
 *
 * @example
 * check({ job: { onDone() {} } }).findings[0]
 * // { channel: 'worker', effect: 'throws', code: 'FUNCTION_NOT_CLONEABLE', at: '$.job.onDone', ... }
 */
export function check(value: unknown, options?: CheckOptions): CheckResult {
  let channels: readonly Channel[] = CHANNELS;
  let target = DEFAULT_TARGET;
  let isIgnored = IGNORE_NOTHING;
  let masks = DEFAULT_MASKS;
  if (options === undefined) {
    options = NO_OPTIONS;
  } else {
    readOptionNames(options);
    if (options.transferList !== undefined) readTransferListOption(options.transferList);
    if (options.channels !== undefined) channels = normalizeChannels(options.channels);
    if (options.target !== undefined) target = normalizeTarget(options.target);
    if (options.maxFindings !== undefined) {
      const problem = maxFindingsProblem(options.maxFindings, 'maxFindings');
      if (problem !== undefined) throw new TypeError(`clonecheck: check() option ${problem}`);
    }
    if (options.ignore !== undefined) isIgnored = compileIgnore(options.ignore);
    if (channels !== CHANNELS || target !== DEFAULT_TARGET) masks = masksFor(channels, lineOf(target));
  }
  const walker = new Walker(masks, options, target === DEFAULT_TARGET ? RUNNING_NODE : String(lineOf(target)));
  // Ignored findings are set aside as they are made: they neither fill maxFindings nor make a channel lossy.
  if (isIgnored !== IGNORE_NOTHING) walker.ignored = new IgnoredFindings(isIgnored, walker.maxFindings);
  const origins = originOptions(options.origins);
  walker.recordOrigins = origins !== undefined;
  if (origins) walker.instanceOrigin = instanceOriginLookup(origins);
  try {
    walker.run(value);
  } catch (error) {
    // A check must never throw on a value: a failure here is a bug in clonecheck, not in the value.
    // Say so with a finding on every channel, so that nothing reads the value as lossless.
    walker.internalError = error;
    try {
      walker.emit('CHECK_INCOMPLETE', walker.active, null, undefined, undefined, { error: errorText(error) });
    } catch {
      // Nothing more can be said; internalError and lossless still tell.
    }
  }
  if (origins && walker.originsFound.length > 0) {
    try {
      attachOrigins(walker.originsFound, walker.byBit, origins);
      if (walker.ignored) attachOrigins(walker.originsFound, walker.ignored.byBit, origins);
    } catch {
      // Origins only add words: without them the findings stand as they are.
    }
  }
  const findings: Finding[] = [];
  const ignored: Finding[] = [];
  const lossless: Partial<Record<Channel, boolean>> = {};
  for (let i = 0; i < CHANNEL_DEFINITIONS.length; i++) {
    const bit = 1 << i;
    const list = walker.byBit[bit];
    if (!list) continue;
    for (let j = 0; j < list.length; j++) findings[findings.length] = list[j]!;
    const set = walker.ignored?.byBit[bit];
    if (set) for (let j = 0; j < set.length; j++) ignored[ignored.length] = set[j]!;
    lossless[CHANNEL_DEFINITIONS[i]!.id] = !walker.lossy[bit];
  }
  const picked: Channel[] = [];
  for (let i = 0; i < channels.length; i++) picked[i] = channels[i]!;
  let uncollected: Partial<Record<Channel, Severity>> | undefined;
  if (walker.truncated) {
    uncollected = {};
    for (let i = 0; i < CHANNEL_DEFINITIONS.length; i++) {
      const severity = walker.uncollected[1 << i];
      if (severity !== undefined) uncollected[CHANNEL_DEFINITIONS[i]!.id] = severity;
    }
  }
  const result = { findings, ignored, channels: picked, lossless, truncated: walker.truncated, target, ...(uncollected ? { uncollected } : {}) };
  if (walker.internalError === undefined) return result;
  // Say so rather than pretend the value is fine.
  for (let i = 0; i < channels.length; i++) lossless[channels[i]!] = false;
  return { ...result, internalError: walker.internalError };
}

/** Masks per set of channels and Node.js line, built once: a small check costs no set-up. */
const MASKS = new SafeMap<number, ChannelMasks>();
let lastList: readonly Channel[] | undefined;
let lastLine = 0;
let lastMasks: ChannelMasks | undefined;
const DEFAULT_MASKS = masksFor(CHANNELS, lineOf(DEFAULT_TARGET));
const NO_OPTIONS: CheckOptions = Object.freeze({});
const RUNNING_NODE = process.versions.node;

function masksFor(channels: readonly Channel[], line: number): ChannelMasks {
  // normalizeChannels() hands out one list per channel set, so the last one is found by identity.
  if (channels === lastList && line === lastLine) return lastMasks!;
  let bits = 0;
  for (let i = 0; i < CHANNEL_DEFINITIONS.length; i++) {
    for (let j = 0; j < channels.length; j++) if (channels[j] === CHANNEL_DEFINITIONS[i]!.id) bits |= 1 << i;
  }
  const key = bits * 1000 + line;
  let masks = MASKS.get(key);
  if (!masks) MASKS.set(key, (masks = buildMasks(CHANNEL_DEFINITIONS, channels, line)));
  lastList = channels;
  lastLine = line;
  lastMasks = masks;
  return masks;
}

function readOptionNames(options: CheckOptions): void {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`clonecheck: check() options must be an object, not ${options === null ? 'null' : typeof options}`);
  // for-in and a captured hasOwn: no array made, no method the caller's code may have patched.
  for (const name in options) {
    if (!hasOwn(options, name)) continue;
    let known = false;
    for (let j = 0; j < OPTION_NAMES.length; j++) if (OPTION_NAMES[j] === name) known = true;
    if (!known) {
      throw new TypeError(
        `clonecheck: unknown check() option ${JSON.stringify(name)}${didYouMean(name, OPTION_NAMES)}; the options are ${OPTION_NAMES.join(', ')}`,
      );
    }
  }
}

/** One list per set of channels, in registry order (the caller gets a copy in the result). */
const CHANNEL_LISTS: (readonly Channel[] | undefined)[] = [];

function normalizeChannels(channels: readonly Channel[]): readonly Channel[] {
  const problem = channelsProblem(channels, 'channels', 'allowed');
  if (problem !== undefined) throw new TypeError(`clonecheck: ${isArray(channels) ? '' : 'check() option '}${problem}`);
  let bits = 0;
  for (let i = 0; i < channels.length; i++) {
    for (let j = 0; j < CHANNEL_DEFINITIONS.length; j++) if (CHANNEL_DEFINITIONS[j]!.id === channels[i]) bits |= 1 << j;
  }
  let list = CHANNEL_LISTS[bits];
  if (list === undefined) {
    const ordered: Channel[] = [];
    for (let j = 0; j < CHANNEL_DEFINITIONS.length; j++) if (bits & (1 << j)) ordered[ordered.length] = CHANNEL_DEFINITIONS[j]!.id;
    CHANNEL_LISTS[bits] = list = ordered;
  }
  return list;
}

function normalizeTarget(target: Target): Target {
  const problem = targetProblem(target);
  if (problem !== undefined) throw new TypeError(`clonecheck: ${problem}`);
  return target;
}

/** An internal error as one line of text, read without running anything of it. */
function errorText(error: unknown): string {
  if (error !== null && typeof error === 'object' && !isProxy(error) && types.isNativeError(error)) {
    const message = getOwnPropertyDescriptor(error, 'message');
    if (message && typeof message.value === 'string') return message.value;
  }
  return typeof error === 'string' ? error : `a thrown ${typeof error}`;
}

/** A transferList is a real array of at most a million entries (what postMessage itself accepts). */
function readTransferListOption(list: unknown): void {
  if (list === null || typeof list !== 'object' || isProxy(list) || !isArray(list)) {
    throw new TypeError('clonecheck: check() option transferList must be an array, as postMessage(value, transferList) takes it');
  }
  const length = (list as readonly unknown[]).length;
  if (length > 1_000_000) throw new TypeError(`clonecheck: check() option transferList has ${length} entries; a real transferList is short`);
}
