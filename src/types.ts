// The vocabulary flows one way: findings/codes.ts (codes, effects, args) and findings/severity.ts
// are below this file and never import it.
import type { Effect, FindingArgs, FindingCode } from './findings/codes.js';
import type { Severity } from './findings/severity.js';
import { NODE_MAJOR } from './realm/intrinsics.js';

/**
 * A way a value leaves a Node.js thread or process.
 *
 * - `worker`: structured clone, as `new Worker(file, { workerData })`, `postMessage`, `MessagePort`,
 *   `BroadcastChannel` and `structuredClone()` use it.
 * - `fork`: JSON, as `child_process.fork()` / `process.send()` / `cluster` use it by default.
 * - `fork-advanced`: the V8 serializer behind `fork(file, { serialization: 'advanced' })`.
 * - `json` (opt-in): plain `JSON.stringify` / `JSON.parse`, as job queues, Redis, HTTP bodies and
 *   `localStorage` use it: the `fork` rules without the IPC ones.
 * - `v8` (opt-in): in-process `v8.serialize` / `v8.deserialize`, as caches and snapshots use it.
 */
export type Channel = 'worker' | 'fork' | 'fork-advanced' | 'json' | 'v8';

/** The channels a check judges by default: the three of the contract. */
export const CHANNELS: readonly Channel[] = ['worker', 'fork', 'fork-advanced'];

/** Every channel clonecheck knows, the opt-in ones last. */
export const ALL_CHANNELS: readonly Channel[] = ['worker', 'fork', 'fork-advanced', 'json', 'v8'];

export type { Effect, Severity };

/** The Node.js lines whose rules a check can apply. */
export type Target = 'node20' | 'node22' | 'node24' | 'node26';

export const TARGETS: readonly Target[] = ['node20', 'node22', 'node24', 'node26'];

const LINE_OF_TARGET: Readonly<Record<Target, number>> = { node20: 20, node22: 22, node24: 24, node26: 26 };

/** The major version a target names: 'node22' -> 22. */
export function lineOf(target: Target): number {
  return LINE_OF_TARGET[target];
}

/** The Node.js line of the running process, as a target (the nearest known line not above it: Node 23 is node22). */
export const DEFAULT_TARGET: Target = TARGETS.reduce<Target>((best, t) => (lineOf(t) <= NODE_MAJOR ? t : best), TARGETS[0]!);

/** Every effect, most serious first (see `Effect`). */
export const EFFECTS: readonly Effect[] = ['throws', 'dropped', 'changed', 'note'];

/** A step into a Map or Set entry, by insertion position. */
export interface EntryStep {
  readonly kind: 'map-key' | 'map-value' | 'set-member';
  readonly index: number;
}

/** One step of a path: an own property key, an array index (a number), or a Map/Set entry. */
export type PathSegment = string | symbol | number | EntryStep;

export type Path = readonly PathSegment[];

export interface Finding {
  readonly channel: Channel;
  readonly effect: Effect;
  /** How much it matters: `throw` > `loss` > `reshape` > `note`. */
  readonly severity: Severity;
  readonly code: FindingCode;
  /** Steps from the root value; `[]` is the root. */
  readonly path: Path;
  /** The path for people, in accessor style: `$.user.tags[2]`, `$.cache.get("k")`. */
  readonly at: string;
  /** One plain sentence, no colour, no path. */
  readonly message: string;
  /** What to do instead, where there is a standard answer. */
  readonly hint?: string;
  /** Per-code facts behind the message (type names, counts, byte sizes). Plain data. */
  readonly args: Readonly<FindingArgs>;
}

export interface CheckOptions {
  /**
   * The channels to judge the value for.
   * @default ['worker', 'fork', 'fork-advanced']
   * @example check(value, { channels: ['worker'] })
   */
  readonly channels?: readonly Channel[] | undefined;
  /**
   * Objects that the send moves instead of copying (`postMessage(value, transferList)`,
   * `new Worker(file, { workerData, transferList })`). Only the `worker` channel has transfers.
   * @default []
   */
  readonly transferList?: readonly unknown[] | undefined;
  /**
   * How to read the root: `'message'` is a value given to `postMessage`/`send` (Node's `send()`
   * refuses some top-level values); `'value'` is a value nested somewhere else.
   * @default 'message'
   */
  readonly root?: 'message' | 'value' | undefined;
  /**
   * Stop collecting after this many findings (the walk still ends; `truncated` says so).
   * @default Infinity
   */
  readonly maxFindings?: number | undefined;
  /**
   * Whose rules to apply: a Node.js line. Unknown names are a TypeError listing the known ones.
   * @default the line of the Node.js that runs the check
   * @example check(value, { target: 'node22' })
   */
  readonly target?: Target | undefined;
  /**
   * Findings to set aside: a code (`'DATE_BECOMES_STRING'`), a path pattern starting with `$`
   * (`'$.meta.**'`, `'$.items[*].cache'`) or a class name (`'class:Customer'`). Ignored findings
   * move to `result.ignored`: counted, never gone.
   * @default []
   */
  readonly ignore?: readonly string[] | undefined;
  /**
   * Where each function and class found in the value was defined (through source maps), what a
   * closure captures, and what to send instead (a reference, the captured data): read through an
   * in-process `node:inspector` session, without running the value's code. Costs nothing for a
   * value without functions or class instances, and about 0.1 to 0.5 ms for each one found (the
   * first lookup in a process also lists its scripts); at most `max` are looked up per check.
   * `modules` are modules whose exports a function can be named by (the command line passes the
   * ones it loaded). `false` turns it off.
   * @default true (max 20)
   * @example check({ onDone }, { origins: { modules: [{ file: 'src/jobs.ts', exports: [{ name: 'onDone', value: onDone }] }] } })
   */
  readonly origins?: boolean | OriginOptions | undefined;
}

export interface OriginOptions {
  readonly modules?:
    readonly { readonly path?: string; readonly file: string; readonly exports: readonly { readonly name: string; readonly value: unknown }[] }[] | undefined;
  /** What printed places are relative to. @default process.cwd() */
  readonly cwd?: string | undefined;
  /** @default 20 */
  readonly max?: number | undefined;
}

export interface CheckResult {
  /** Every finding, sorted by channel order, then path order of the walk. */
  readonly findings: Finding[];
  /** The channels that were judged. */
  readonly channels: readonly Channel[];
  /**
   * Per checked channel (and only those): true when no `throws`, `dropped` or `changed` finding was
   * made for it.
   */
  readonly lossless: Readonly<Partial<Record<Channel, boolean>>>;
  /** True when `maxFindings` cut the list. */
  readonly truncated: boolean;
  /**
   * When `truncated`: per checked channel that had findings past the limit, the most serious
   * severity among them (so a caller can tell whether what was not collected would fail).
   */
  readonly uncollected?: Readonly<Partial<Record<Channel, Severity>>>;
  /** The findings that `ignore` set aside, in the same order as `findings`. */
  readonly ignored: Finding[];
  /** The Node.js line whose rules were applied. */
  readonly target: Target;
  /**
   * Set when clonecheck itself failed part-way (a bug in clonecheck, never in the value): then the
   * findings are incomplete and no channel is reported lossless.
   */
  readonly internalError?: unknown;
}
