import childProcess, { type ChildProcess, type ForkOptions, type MessageOptions, type SendHandle } from 'node:child_process';
import cluster from 'node:cluster';
import { syncBuiltinESMExports } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import workerThreads, { type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import { check } from './check/index.js';
import { CloneCheckError } from './errors.js';
import { compileIgnore, DEFAULT_FAIL_LEVEL, didYouMean, fails, IGNORE_NOTHING, resolveFailOn, type FailOn, type IgnoreMatcher } from './policy/index.js';
import { formatReport } from './report/index.js';
import { ALL_CHANNELS, CHANNELS, TARGETS, type Channel, type CheckResult, type Finding, type Target } from './types.js';

export type GuardMode = 'throw' | 'warn';

export interface GuardOptions {
  /**
   * `'throw'`: a send with a failing finding throws a `CloneCheckError` before anything is sent.
   * `'warn'`: the send goes ahead, unchanged, and each distinct problem (send site, code, path) is
   * printed once as a `CloneCheckWarning`.
   * @default 'throw'
   */
  readonly mode?: GuardMode | undefined;
  /**
   * The channels whose sends are checked; sends on other channels pass unchecked.
   * @default ['worker', 'fork', 'fork-advanced']
   * @example install({ channels: ['worker'] }) // only Workers, MessagePorts and BroadcastChannels
   */
  readonly channels?: readonly Channel[] | undefined;
  /**
   * What makes a send fail (throw in `'throw'` mode, print as a problem in `'warn'` mode): a
   * severity level and everything more serious. `'loss'` fails a send that throws or loses data;
   * a reshape (a frozen object arriving unfrozen, a Buffer arriving as a Uint8Array) goes ahead.
   * A list of effects (the older form) still works.
   * @default 'loss'
   * @example install({ failOn: 'throw' }) // only what would make the send throw anyway
   */
  readonly failOn?: FailOn | undefined;
  /**
   * Fail reshapes too: the same as `failOn: 'reshape'`.
   * @default false
   */
  readonly strict?: boolean | undefined;
  /**
   * Findings to accept: codes (`'TRANSFERRED'` accepts deliberate transfers without a word),
   * path patterns (`'$.meta.**'`) and classes (`'class:Customer'`). They never fail or print;
   * a failing send's error counts them.
   * @default []
   * @example install({ ignore: ['DATE_BECOMES_STRING', 'TRANSFERRED'] })
   */
  readonly ignore?: readonly string[] | undefined;
  /**
   * The Node.js line whose rules apply.
   * @default the running Node.js's line
   */
  readonly target?: Target | undefined;
  /**
   * Also check the sends made from code under `node_modules` (a test runner's or a pool's own
   * messages). By default they go ahead unchecked: the guard judges your code, not your dependencies.
   * @default false
   */
  readonly nodeModules?: boolean | undefined;
  /**
   * Also print the findings that do not fail, once per send site, code and path: reshapes,
   * transfers that detach the sender's buffer, pooled Buffers copied instead of transferred, shared
   * memory. They never throw.
   * @default true
   */
  readonly notes?: boolean | undefined;
  /**
   * The share of messages that are checked, above 0 and at most 1: `0.01` checks one send in a
   * hundred, at random. `workerData` is always checked (a thread start costs far more than the check).
   * @default 1
   */
  readonly sample?: number | undefined;
  /**
   * `'site'`: check only the first send made from each call site (file, line and column), and let
   * later sends from there pass unchecked. Each send still costs a stack capture (a few
   * microseconds), so this pays off for large messages; `sample` is cheaper for small ones.
   * `workerData` is always checked.
   * @default false
   */
  readonly once?: 'site' | false | undefined;
  /**
   * Stop collecting findings for one send after this many.
   * @default 100
   */
  readonly maxFindings?: number | undefined;
  /**
   * Receives each warning instead of `process.emitWarning` (e.g. to route it to a logger).
   * Its `findings` are only the ones not printed before.
   */
  readonly onWarning?: ((warning: GuardWarning) => void) | undefined;
}

/** What a warning is made of; `text` is what `process.emitWarning` prints by default. */
export interface GuardWarning {
  /** The send, as people call it: `'child.send()'`, `'new Worker() workerData'`, ... */
  readonly api: string;
  readonly channel: Channel;
  /** `file:line:column` of the user's call, or `'<unknown>'`. */
  readonly site: string;
  /** The findings of this send that were not printed before. */
  readonly findings: readonly Finding[];
  /** The whole warning as plain text: one line naming the send, then the findings. */
  readonly text: string;
}

/** Something with an IPC channel: a forked `ChildProcess`, or `process` in a forked child. */
export type IpcTarget = ChildProcess | NodeJS.Process;
export type PostTarget = workerThreads.MessagePort | workerThreads.Worker | workerThreads.BroadcastChannel;
type SendCallback = (error: Error | null) => void;

interface Policy {
  readonly mode: GuardMode;
  readonly channels: readonly Channel[];
  readonly failOn: FailOn;
  readonly ignore: readonly string[] | undefined;
  readonly isIgnored: IgnoreMatcher;
  readonly target: Target | undefined;
  readonly nodeModules: boolean;
  readonly notes: boolean;
  readonly sample: number;
  readonly once: boolean;
  readonly maxFindings: number;
  readonly onWarning: ((warning: GuardWarning) => void) | undefined;
}

/** What one send carries. */
interface Send {
  readonly api: string;
  readonly channel: Channel | undefined;
  readonly value: unknown;
  readonly transferList?: readonly unknown[] | undefined;
  readonly root: 'message' | 'value';
  /** Checked whatever `sample` and `once` say (workerData). */
  readonly always?: boolean;
}

/**
 * The explicit helpers' policy: they are called on purpose, so they always check and throw. They
 * take the fail level, ignores and target of an installed guard (see `helperPolicy`).
 */
const HELPER_POLICY: Policy = {
  mode: 'throw',
  channels: ALL_CHANNELS,
  failOn: DEFAULT_FAIL_LEVEL,
  ignore: undefined,
  isIgnored: IGNORE_NOTHING,
  target: undefined,
  nodeModules: true,
  notes: true,
  sample: 1,
  once: false,
  maxFindings: 100,
  onWarning: undefined,
};

// Node's own functions, taken before anything is patched.
const NodeWorker = workerThreads.Worker;
const { MessagePort, BroadcastChannel: NodeBroadcastChannel } = workerThreads;
const nodeFork = childProcess.fork;

/** The policy of `install()`, or undefined when the guard is not installed. */
let installed: Policy | undefined;
/** The helpers' policy while a guard is installed: its fail level, ignores and target. */
let installedHelperPolicy: Policy | undefined;

function helperPolicy(): Policy {
  return installedHelperPolicy ?? HELPER_POLICY;
}
/**
 * Above 0 while a guarded send runs Node's own function: Node's `Worker#postMessage` calls
 * `MessagePort#postMessage`, `cluster`'s `worker.send()` calls `child.send()`, and `new Worker`
 * posts its workerData through a port. The outer call checks; the inner ones pass.
 */
let depth = 0;

//// stack: where the user made the send ////

interface Site {
  /** `file:line:column` as V8 has it (before source maps): the key that dedupes by site. */
  readonly key: string;
  /** The call comes from Node itself or from clonecheck's own code, not from the user. */
  readonly internal: boolean;
  /** The call comes from code under a `node_modules` folder: a dependency's own send. */
  readonly dependency: boolean;
  /** The frame's place in the stack below the guard, to find it again in the formatted stack. */
  readonly frame: number;
}

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** clonecheck's own code, as paths (CommonJS-style stacks) and as file URLs (ES modules). */
const OWN_PREFIXES = ['dist', 'src'].flatMap((dir) => [join(PACKAGE_ROOT, dir) + sep, pathToFileURL(join(PACKAGE_ROOT, dir)).href + '/']);
const UNKNOWN_SITE: Site = { key: '<unknown>', internal: false, dependency: false, frame: -1 };
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
function siteOf(caller: Function): Site {
  const holder: { stack?: unknown } = {};
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let frames: unknown;
  try {
    Error.prepareStackTrace = keepFrames;
    Error.stackTraceLimit = FRAMES;
    Error.captureStackTrace(holder, caller);
    frames = holder.stack;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  if (!Array.isArray(frames)) return UNKNOWN_SITE;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as NodeJS.CallSite;
    const file = frame.getFileName();
    if (!file || frame.isEval()) continue;
    const key = `${file}:${frame.getLineNumber() ?? 0}:${frame.getColumnNumber() ?? 0}`;
    const internal = file.startsWith('node:') || OWN_PREFIXES.some((prefix) => file.startsWith(prefix));
    return { key, internal, dependency: !internal && NODE_MODULES.test(file), frame: i };
  }
  return UNKNOWN_SITE;
}

/**
 * The site for people, as the process prints stacks: through source maps when they are on
 * (`--enable-source-maps`, tsx, Vitest), and as a path rather than a file URL. Only called on
 * the way to a report, from the same call as `siteOf`, so the frames line up.
 */
function siteText(site: Site, caller: Function): string {
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

//// the check of one send ////

const reported = new Set<string>();
const reportedPerSite = new Map<string, number>();
const checkedSites = new Set<string>();
let unknownChannelWarned = false;
let bugWarned = false;
/** Distinct problems printed per send site before the rest is summed up in one line. */
const MAX_PER_SITE = 25;
/** Distinct problems remembered in all, so that a long run cannot grow the set without bound. */
const MAX_REPORTED = 10_000;

/** What a patched method sends, read from its receiver and arguments. */
type Describe = (self: unknown, args: readonly unknown[]) => Send | undefined;

/**
 * Checks one send under `policy` and throws a `CloneCheckError` when the policy says so. Anything
 * else that goes wrong (a bug in clonecheck, a getter on the options that throws) is reported once
 * and never breaks the send.
 */
function guardSend(policy: Policy, describe: Describe, self: unknown, args: readonly unknown[], caller: Function, explicit: boolean): void {
  let error: CloneCheckError | undefined;
  try {
    error = judgeSend(policy, describe(self, args), caller, explicit);
  } catch (bug) {
    reportBug(bug);
  }
  if (error !== undefined) throw error;
}

/** `[channel]` for each channel, made once. */
const CHANNEL_LIST = Object.fromEntries(ALL_CHANNELS.map((ch) => [ch, Object.freeze([ch])])) as unknown as Readonly<Record<Channel, readonly Channel[]>>;

/** Not the user's send: Node's or clonecheck's own, or (unless asked) a dependency's. */
function notTheUsers(policy: Policy, site: Site, explicit: boolean): boolean {
  return !explicit && (site.internal || (site.dependency && !policy.nodeModules));
}

function judgeSend(policy: Policy, send: Send | undefined, caller: Function, explicit: boolean): CloneCheckError | undefined {
  if (send === undefined) return undefined;
  const channel = send.channel;
  if (channel === undefined) {
    if (!unknownChannelWarned && !notTheUsers(policy, siteOf(caller), explicit)) warnUnknownChannel(send.api);
    return undefined;
  }
  if (!policy.channels.includes(channel)) return undefined;
  if (!send.always && policy.sample < 1 && Math.random() >= policy.sample) return undefined;
  // A string, number, boolean, bigint, null or undefined crosses a worker boundary as it is: no walk
  // (symbols throw, and JSON and the IPC channels have rules of their own for primitives).
  const value = send.value;
  if (
    channel === 'worker' &&
    (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) &&
    send.transferList === undefined
  ) {
    return undefined;
  }
  let site: Site | undefined;
  if (policy.once && !send.always) {
    site = siteOf(caller);
    if (notTheUsers(policy, site, explicit)) return undefined;
    const key = `${send.api}\0${site.key}`;
    if (checkedSites.has(key)) return undefined;
    checkedSites.add(key);
  }

  // One object shape for every send (no spread): check() reads it on each call.
  // Origins (where a function was defined, what it captures) cost a lookup per new function: the
  // guard asks for them only when it is about to throw or print (judge() again, below).
  const result = judge(send, channel, policy, false);
  const internalError = (result as { internalError?: unknown }).internalError ?? (result.findings as { internalError?: unknown }).internalError;
  if (internalError !== undefined) reportBug(internalError);
  const all = result.findings;
  const ignoredByCheck = (result as { ignored?: readonly Finding[] }).ignored?.length ?? 0;
  if (all.length === 0) return undefined;
  // The policy's matcher was compiled once, at install(): it applies the ignore list here rather
  // than having check() compile it again for every send.
  let findings: Finding[] = all;
  let ignored = ignoredByCheck;
  if (policy.ignore !== undefined) {
    findings = [];
    for (const f of all) {
      if (policy.isIgnored(f)) ignored++;
      else findings.push(f);
    }
    if (findings.length === 0) return undefined;
  }
  const failures: Finding[] = [];
  // A check clonecheck could not finish (its own bug, reported once above) never fails a send:
  // what it did find still does.
  for (const f of findings) if ((f.code as string) !== 'CHECK_INCOMPLETE' && fails(f, policy.failOn)) failures.push(f);
  if (failures.length === 0 && !policy.notes) return undefined;

  site ??= siteOf(caller);
  if (notTheUsers(policy, site, explicit)) return undefined;
  const title = `${send.api} on the ${channel} channel${result.truncated ? ` (only the first ${policy.maxFindings} findings)` : ''}`;
  if (policy.mode === 'throw' && failures.length > 0) {
    // The error lists what fails; what only reshapes is left to the warning that a passing send gets.
    const error = new CloneCheckError(withOrigins(failures, judge(send, channel, policy, true).findings), { title, site: siteText(site, caller), ignored });
    // The stack starts at the user's send, not inside the guard.
    Error.captureStackTrace(error, caller);
    return error;
  }
  const shown = policy.notes ? findings : failures;
  // A site prints once: its first warning is worth the origin lookups.
  warn(policy, send.api, channel, site, reportedPerSite.has(site.key) ? shown : withOrigins(shown, judge(send, channel, policy, true).findings), title, caller);
  return undefined;
}

/** check() with the guard's policy for one send; `origins` adds where functions were defined. */
function judge(send: Send, channel: Channel, policy: Policy, origins: boolean): CheckResult {
  return check(send.value, {
    channels: CHANNEL_LIST[channel],
    root: send.root,
    transferList: send.transferList,
    maxFindings: policy.maxFindings,
    target: policy.target,
    origins,
  });
}

/** The same findings, taken from a check that looked up origins (same walk, same order). */
function withOrigins(findings: readonly Finding[], enriched: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const same = enriched.find((e) => e.channel === f.channel && e.code === f.code && e.at === f.at);
    out.push(same ?? f);
  }
  return out;
}

/** Prints the findings of one send not printed before for its site, at most MAX_PER_SITE per site. */
function warn(policy: Policy, api: string, channel: Channel, site: Site, findings: readonly Finding[], title: string, caller: Function): void {
  const printed = reportedPerSite.get(site.key) ?? 0;
  if (printed >= MAX_PER_SITE) return;
  let fresh: Finding[] = [];
  for (const f of findings) {
    const key = `${site.key}\0${f.channel}\0${f.code}\0${f.at}`;
    if (reported.has(key) || reported.size >= MAX_REPORTED) continue;
    reported.add(key);
    fresh.push(f);
  }
  if (fresh.length === 0) return;
  const where = siteText(site, caller);
  const room = MAX_PER_SITE - printed;
  let detail = '';
  if (fresh.length >= room) {
    fresh = fresh.slice(0, room);
    detail = `\n${MAX_PER_SITE} problems from this site have been printed; later ones are not.`;
  }
  reportedPerSite.set(site.key, printed + fresh.length);
  const problems = fresh.filter((f) => fails(f, policy.failOn)).length;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const what = problems > 0 ? count(problems, 'problem') : `${count(fresh.length, 'finding')} that do${fresh.length === 1 ? 'es' : ''} not fail`;
  const head = `${title}, sent from ${where}: ${what} (each is printed once)`;
  detail = formatReport(fresh, { color: false }) + detail;
  if (policy.onWarning !== undefined) {
    try {
      policy.onWarning({ api, channel, site: where, findings: fresh, text: `${head}\n${detail}` });
    } catch {
      // A failing logger must not break the send either.
    }
  } else {
    process.emitWarning(head, { type: 'CloneCheckWarning', detail });
  }
}

function warnUnknownChannel(api: string): void {
  if (unknownChannelWarned) return;
  unknownChannelWarned = true;
  process.emitWarning(`clonecheck cannot tell how this process's IPC channel serializes (json or advanced), so ${api} is not checked.`, {
    type: 'CloneCheckWarning',
  });
}

function reportBug(bug: unknown): void {
  if (bugWarned) return;
  bugWarned = true;
  try {
    process.emitWarning(`clonecheck guard: a send could not be checked and went ahead unchecked (only the first such failure is reported): ${String(bug)}`, {
      type: 'CloneCheckWarning',
    });
  } catch {
    // nothing left to do
  }
}

//// what each API sends ////

const describePortPost: Describe = (_self, args) => postedMessage('port.postMessage()', args[0], args[1]);
const describeWorkerPost: Describe = (_self, args) => postedMessage('worker.postMessage()', args[0], args[1]);
// BroadcastChannel#postMessage takes no transfer list.
const describeBroadcastPost: Describe = (_self, args) => postedMessage('broadcastChannel.postMessage()', args[0], undefined);
/** `new Worker(filename, options)`: the options' workerData and transferList. */
const describeWorkerData: Describe = (_self, args) => workerDataSend(args[1]);
/** `target.send(message, ...)`, where `self` is the IPC target. */
const describeIpcSend: Describe = (self, args) => ipcSend(self === process ? 'process.send()' : 'child.send()', self as object, args[0]);
/** cluster's `worker.send(message)`: the channel of `worker.process`. */
const describeClusterSend: Describe = (self, args) => {
  const proc = (self as { process?: unknown }).process;
  return proc !== null && typeof proc === 'object' ? ipcSend('worker.send()', proc, args[0]) : undefined;
};

function postedMessage(api: string, value: unknown, transfer: unknown): Send {
  return { api, channel: 'worker', value, transferList: transferListOf(transfer), root: 'message' };
}

/** `postMessage(value, [ab])` and `postMessage(value, { transfer: [ab] })` both transfer. */
function transferListOf(arg: unknown): readonly unknown[] | undefined {
  if (Array.isArray(arg)) return arg;
  if (arg !== null && typeof arg === 'object') {
    const transfer = (arg as { transfer?: unknown }).transfer;
    if (Array.isArray(transfer)) return transfer;
  }
  return undefined;
}

function workerDataSend(options: unknown): Send | undefined {
  if (options === null || typeof options !== 'object') return undefined;
  const { workerData, transferList } = options as WorkerOptions;
  if (workerData === undefined && transferList === undefined) return undefined;
  return {
    api: 'new Worker() workerData',
    channel: 'worker',
    value: workerData,
    transferList: Array.isArray(transferList) ? transferList : undefined,
    root: 'value',
    always: true,
  };
}

/** How each IPC target serializes, as recorded at spawn time or read from its channel. */
const ipcChannels = new WeakMap<object, Channel>();

function ipcChannelOf(target: object): Channel | undefined {
  let channel = ipcChannels.get(target);
  if (channel === undefined) {
    channel = readIpcChannel(target);
    if (channel !== undefined) ipcChannels.set(target, channel);
  }
  return channel;
}

/**
 * Node does not say how an IPC channel serializes, and in a forked child it deletes
 * NODE_CHANNEL_SERIALIZATION_MODE from the environment before any user code (or `--import`) runs.
 * Its channel handle shows it: the JSON reader keeps a `kJSONBuffer`, the advanced one a
 * `kMessageBuffer` (Node 20's lib/internal/child_process/serialization.js). When neither is found
 * the channel stays unknown and the send is not checked, rather than judged by the wrong rules.
 */
function readIpcChannel(target: object): Channel | undefined {
  for (const key of Object.getOwnPropertySymbols(target)) {
    if (key.description !== 'kChannelHandle') continue;
    const handle: unknown = (target as Record<symbol, unknown>)[key];
    if (handle === null || typeof handle !== 'object') break;
    for (const slot of Object.getOwnPropertySymbols(handle)) {
      if (slot.description === 'kMessageBuffer') return 'fork-advanced';
      if (slot.description === 'kJSONBuffer') return 'fork';
    }
    break;
  }
  if (target === process) {
    const mode = process.env['NODE_CHANNEL_SERIALIZATION_MODE'];
    if (mode === 'advanced') return 'fork-advanced';
    if (mode === 'json') return 'fork';
  }
  return undefined;
}

function channelOfSerialization(serialization: unknown): Channel {
  return serialization === 'advanced' ? 'fork-advanced' : 'fork';
}

function ipcSend(api: string, target: object, message: unknown): Send {
  return { api, channel: ipcChannelOf(target), value: message, root: 'message' };
}

//// the explicit helpers ////

/**
 * `Worker` from `node:worker_threads`, checked: the constructor checks `workerData` (with its
 * `transferList`) before the thread is created, and `postMessage` checks each message. A failing
 * value throws a `CloneCheckError` that names the path and the call site.
 *
 * @example
 * new Worker('./job.js', { workerData: { job: { onDone() {} } } })
 * // CloneCheckError: Not cloneable for worker at $.job.onDone: A method (onDone) cannot be copied by structured clone, ...
 */
export class Worker extends NodeWorker {
  constructor(filename: string | URL, options?: WorkerOptions) {
    guardSend(helperPolicy(), describeWorkerData, undefined, [filename, options], Worker, true);
    depth++;
    try {
      super(filename, options);
    } finally {
      depth--;
    }
  }

  override postMessage(value: unknown, transferList?: readonly TransferListItem[]): void {
    guardSend(helperPolicy(), describeWorkerPost, this, [value, transferList], checkedWorkerPostMessage, true);
    depth++;
    try {
      super.postMessage(value, transferList);
    } finally {
      depth--;
    }
  }
}
const checkedWorkerPostMessage = Worker.prototype.postMessage;

/**
 * `child_process.fork()`, checked: every `child.send()` of the returned child is judged by the
 * child's own serialization (`'json'`, the default, or `'advanced'`).
 */
export function fork(modulePath: string | URL, options?: ForkOptions): ChildProcess;
export function fork(modulePath: string | URL, args?: readonly string[], options?: ForkOptions): ChildProcess;
export function fork(modulePath: string | URL, args?: readonly string[] | ForkOptions, options?: ForkOptions): ChildProcess {
  const opts = Array.isArray(args) ? options : ((args as ForkOptions | undefined) ?? options);
  let child: ChildProcess;
  depth++; // an installed guard does not wrap this child too
  try {
    child = Reflect.apply(nodeFork, childProcess, [modulePath, args, options]) as ChildProcess;
  } finally {
    depth--;
  }
  ipcChannels.set(child, channelOfSerialization(opts?.serialization));
  wrapIpcSend(child, true);
  return child;
}

/**
 * `target.send(message, ...)`, checked by the target's serialization: `target` is a forked
 * `ChildProcess` or, in a forked child, `process`. Returns what `send` returns.
 */
export function send(target: IpcTarget, message: unknown, callback?: SendCallback): boolean;
export function send(target: IpcTarget, message: unknown, sendHandle?: SendHandle, callback?: SendCallback): boolean;
export function send(target: IpcTarget, message: unknown, sendHandle?: SendHandle, options?: MessageOptions, callback?: SendCallback): boolean;
export function send(target: IpcTarget, message: unknown, ...rest: unknown[]): boolean {
  const method = (target as { send?: unknown }).send;
  if (typeof method !== 'function') {
    throw new TypeError('clonecheck: send(): the target has no IPC channel (it was not forked, or spawned without "ipc" in stdio)');
  }
  guardSend(helperPolicy(), describeIpcSend, target, [message], send, true);
  depth++;
  try {
    return Reflect.apply(method, target, [message, ...rest]) as boolean;
  } finally {
    depth--;
  }
}

/**
 * `target.postMessage(value, transfer)`, checked as structured clone with that transfer list:
 * `target` is a `MessagePort` (so `parentPort` too), a `Worker` or a `BroadcastChannel`.
 */
export function postMessage(target: PostTarget, value: unknown, transfer?: readonly TransferListItem[] | { transfer?: readonly TransferListItem[] }): void {
  const describe = target instanceof NodeBroadcastChannel ? describeBroadcastPost : target instanceof NodeWorker ? describeWorkerPost : describePortPost;
  guardSend(helperPolicy(), describe, target, [value, transfer], postMessage, true);
  depth++;
  try {
    Reflect.apply(target.postMessage, target, transfer === undefined ? [value] : [value, transfer]);
  } finally {
    depth--;
  }
}

//// install() / uninstall() ////

interface Patch {
  readonly target: object;
  readonly key: PropertyKey;
  readonly original: PropertyDescriptor | undefined;
  readonly replacement: unknown;
}

const patches: Patch[] = [];
/** The IPC targets whose `send` install() wrapped; held weakly, restored by uninstall(). */
const wrappedTargets = new Set<WeakRef<object>>();
/** Each of our `send` wrappers, to Node's own function it calls. */
const sendOriginals = new WeakMap<Function, Function>();

function patch(target: object, key: PropertyKey, replacement: unknown): void {
  const original = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, {
    value: replacement,
    writable: original?.writable ?? true,
    enumerable: original?.enumerable ?? false,
    configurable: true,
  });
  patches.push({ target, key, original, replacement });
}

/** Our version of a method: checks when installed and not nested, then calls Node's own. */
function guardedMethod(original: Function, describe: Describe): Function {
  // `arguments` rather than rest parameters, and a bare call when nested (Node's Worker#postMessage
  // calls MessagePort#postMessage): the wrapper runs on every message, so it allocates nothing.
  const guarded = function (this: unknown): unknown {
    const policy = installed;
    if (depth > 0 || policy === undefined) return Reflect.apply(original, this, arguments);
    guardSend(policy, describe, this, arguments as unknown as readonly unknown[], guarded, false);
    depth++;
    try {
      return Reflect.apply(original, this, arguments);
    } finally {
      depth--;
    }
  };
  Object.defineProperty(guarded, 'name', { value: original.name });
  return guarded;
}

/** Replaces `target.send` (an own property: Node defines it per child) with a checked one. */
function wrapIpcSend(target: object, explicit: boolean): void {
  const original = (target as { send?: unknown }).send;
  if (typeof original !== 'function') return;
  const guarded = function send(this: unknown, ...args: unknown[]): unknown {
    const policy = explicit ? helperPolicy() : installed;
    if (policy !== undefined && depth === 0) guardSend(policy, describeIpcSend, target, args, guarded, explicit);
    depth++;
    try {
      return Reflect.apply(original, this, args);
    } finally {
      depth--;
    }
  };
  sendOriginals.set(guarded, original);
  (target as { send: Function }).send = guarded;
  if (!explicit) wrappedTargets.add(new WeakRef(target));
}

/** `new Worker(...)`: checks workerData before Node creates anything, then constructs. */
function constructWorker(target: typeof NodeWorker, args: unknown[], newTarget: Function): object {
  const policy = installed;
  if (policy !== undefined && depth === 0) guardSend(policy, describeWorkerData, undefined, args, constructWorker, false);
  depth++;
  try {
    return Reflect.construct(target, args, newTarget) as object;
  } finally {
    depth--;
  }
}

/**
 * A stand-in for `Worker` that keeps its identity for `instanceof`, `prototype`, statics and
 * `class X extends Worker`. Made once: classes that extend it keep it after uninstall(), where it
 * passes every construction through unchecked.
 */
const WorkerProxy = new Proxy(NodeWorker, { construct: constructWorker });

const ChildProcessClass = childProcess.ChildProcess;
const ClusterWorker = (cluster as { Worker?: { prototype: { send?: Function; process?: unknown } } }).Worker;

function patchAll(): void {
  patch(workerThreads, 'Worker', WorkerProxy);
  // `import { Worker } from 'node:worker_threads'` is a live binding to the ESM facade, which this
  // call brings in line with the CommonJS exports just patched.
  syncBuiltinESMExports();

  const workerPost = NodeWorker.prototype.postMessage as Function;
  patch(NodeWorker.prototype, 'postMessage', guardedMethod(workerPost, describeWorkerPost));
  const portPost = MessagePort.prototype.postMessage as Function;
  patch(MessagePort.prototype, 'postMessage', guardedMethod(portPost, describePortPost));
  const broadcastPost = NodeBroadcastChannel.prototype.postMessage as Function;
  patch(NodeBroadcastChannel.prototype, 'postMessage', guardedMethod(broadcastPost, describeBroadcastPost));

  // Every child with an IPC channel (fork, spawn with 'ipc', cluster.fork, and code that kept its
  // own reference to fork) is made by ChildProcess#spawn, which defines its own `send`.
  const nodeSpawn = (ChildProcessClass.prototype as unknown as { spawn: Function }).spawn;
  const guardedSpawn = function spawn(this: ChildProcess, ...args: unknown[]): unknown {
    const result = Reflect.apply(nodeSpawn, this, args);
    if (installed !== undefined && depth === 0 && typeof this.send === 'function') {
      const options = args[0] as { serialization?: unknown } | undefined;
      ipcChannels.set(this, channelOfSerialization(options?.serialization));
      wrapIpcSend(this, false);
    }
    return result;
  };
  patch(ChildProcessClass.prototype, 'spawn', guardedSpawn);

  // cluster's worker.send() calls worker.process.send(): check at the outer call, so the site is the user's.
  const clusterSend = ClusterWorker?.prototype.send;
  if (ClusterWorker && typeof clusterSend === 'function') {
    patch(ClusterWorker.prototype, 'send', guardedMethod(clusterSend, describeClusterSend));
  }

  if (typeof process.send === 'function') wrapIpcSend(process, false);
}

function unpatchAll(): void {
  for (const p of patches.reverse()) {
    // Someone wrapped our function in turn: leave theirs; ours passes through when uninstalled.
    if ((p.target as Record<PropertyKey, unknown>)[p.key] !== p.replacement) continue;
    if (p.original === undefined) Reflect.deleteProperty(p.target, p.key);
    else Object.defineProperty(p.target, p.key, p.original);
  }
  patches.length = 0;
  syncBuiltinESMExports();
  for (const ref of wrappedTargets) {
    const target = ref.deref() as { send?: Function } | undefined;
    const original = target?.send === undefined ? undefined : sendOriginals.get(target.send);
    if (target !== undefined && original !== undefined) target.send = original;
  }
  wrappedTargets.clear();
}

/**
 * Turns the guard on for this thread: `new Worker` (its `workerData`), `Worker#postMessage`,
 * `MessagePort#postMessage` (`parentPort` too), `BroadcastChannel#postMessage`, the `send()` of
 * every child spawned from now on with an IPC channel (json or advanced, as it was spawned),
 * `process.send` in a forked child, and `cluster` workers' `send()`. What is delivered never
 * changes. Calling it again changes the options.
 *
 * @example
 * install({ mode: 'warn' })   // print each distinct problem once, send anyway
 * install({ sample: 0.01 })   // production: check one message in a hundred
 */
export function install(options: GuardOptions = {}): void {
  const policy = readPolicy(options);
  if (installed === undefined) patchAll();
  installed = policy;
  installedHelperPolicy = { ...HELPER_POLICY, failOn: policy.failOn, ignore: policy.ignore, isIgnored: policy.isIgnored, target: policy.target };
}

/** Turns the guard off and puts Node's own methods back (`new Worker`, postMessage, send, ...). */
export function uninstall(): void {
  if (installed === undefined) return;
  installed = undefined;
  installedHelperPolicy = undefined;
  unpatchAll();
  reported.clear();
  reportedPerSite.clear();
  checkedSites.clear();
}

/** True between `install()` and `uninstall()`. */
export function isInstalled(): boolean {
  return installed !== undefined;
}

const OPTION_NAMES = ['mode', 'channels', 'failOn', 'strict', 'ignore', 'target', 'nodeModules', 'notes', 'sample', 'once', 'maxFindings', 'onWarning'];

function readPolicy(options: GuardOptions): Policy {
  const fail = (what: string): never => {
    throw new TypeError(`clonecheck: install(): ${what}`);
  };
  if (options === null || typeof options !== 'object') fail('options must be an object like { mode: "warn" }');
  for (const key of Reflect.ownKeys(options)) {
    if (typeof key !== 'string' || !OPTION_NAMES.includes(key))
      fail(`unknown option ${String(key)}${typeof key === 'string' ? didYouMean(key, OPTION_NAMES) : ''}; the options are ${OPTION_NAMES.join(', ')}`);
  }
  const {
    mode = 'throw',
    channels = CHANNELS,
    failOn,
    strict,
    ignore,
    target,
    nodeModules = false,
    notes = true,
    sample = 1,
    once = false,
    maxFindings = 100,
    onWarning,
  } = options;
  if (mode !== 'throw' && mode !== 'warn') fail(`mode must be 'throw' or 'warn', got ${JSON.stringify(mode)}`);
  if (!Array.isArray(channels) || channels.some((ch) => !ALL_CHANNELS.includes(ch))) fail(`channels must be a list of ${ALL_CHANNELS.join(', ')}`);
  let level: FailOn = DEFAULT_FAIL_LEVEL;
  let isIgnored: IgnoreMatcher = IGNORE_NOTHING;
  try {
    level = resolveFailOn(failOn, strict);
    if (ignore !== undefined) isIgnored = compileIgnore(ignore, 'ignore');
  } catch (error) {
    fail((error as Error).message.replace(/^clonecheck: (options: )?/, ''));
  }
  if (target !== undefined && !TARGETS.includes(target))
    fail(`unknown target ${JSON.stringify(target)}${typeof target === 'string' ? didYouMean(target, TARGETS) : ''}; use one of ${TARGETS.join(', ')}`);
  if (typeof nodeModules !== 'boolean') fail('nodeModules must be true or false');
  if (typeof notes !== 'boolean') fail('notes must be true or false');
  if (typeof sample !== 'number' || !(sample > 0 && sample <= 1)) fail(`sample must be a number above 0 and at most 1, got ${String(sample)}`);
  if (once !== false && once !== 'site') fail(`once must be 'site' or false, got ${JSON.stringify(once)}`);
  if (typeof maxFindings !== 'number' || !(maxFindings >= 1)) fail('maxFindings must be a number, 1 or more');
  if (onWarning !== undefined && typeof onWarning !== 'function') fail('onWarning must be a function');
  return {
    mode,
    channels: [...channels],
    failOn: level,
    ignore: ignore === undefined || ignore.length === 0 ? undefined : ignore.map((entry) => entry.trim()),
    isIgnored,
    target,
    nodeModules,
    notes,
    sample,
    once: once === 'site',
    maxFindings,
    onWarning,
  };
}

export { guardOptionsFromConfig, guardOptionsFromEnv, registerOptions } from './guard-env.js';
