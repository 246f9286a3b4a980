/**
 * What to check for each export: a data export as it is; a function or a class only when asked
 * (`--call`, `--args`), with the arguments the user gives; a Promise only with `--await`. A skipped
 * export is one note, never a finding; a call that throws is an error for that export alone.
 */
import { EventEmitter } from 'node:events';
import { types } from 'node:util';
import { describeThrown, isClass, LoadError, ModuleExit, type LoadedModule, type ModuleExport } from './load.js';

/** The name of the export that holds arguments for `--call`: `{ makeJob: [{ id: 1 }] }`. */
export const SAMPLES_EXPORT = 'samples';

export interface SettleOptions {
  /** Call functions and construct classes whose arguments are known (see `settleExport`). */
  readonly call: boolean;
  /** Arguments from the command line (`--args name=JSON`), by export name. */
  readonly args: ReadonlyMap<string, readonly unknown[]>;
  /** Await exported Promises. */
  readonly await: boolean;
  /** Milliseconds a Promise may take. */
  readonly timeout: number;
  readonly cwd?: string | undefined;
  /** The export was named with `--export`: check it even when it looks like a live object, not data. */
  readonly named?: boolean;
}

/** An export made ready: the value to check, or why there is none. */
export type Settled =
  | { readonly kind: 'value'; readonly value: unknown; readonly obtained?: string }
  | { readonly kind: 'note'; readonly note: string }
  | { readonly kind: 'error'; readonly error: string; readonly obtained?: string };

/** The `samples` export of a module, when it is an object of argument lists. */
export function samplesOf(module: LoadedModule): ReadonlyMap<string, readonly unknown[]> {
  const out = new Map<string, readonly unknown[]>();
  const exp = module.exports.find((e) => e.name === SAMPLES_EXPORT);
  const value = exp?.value;
  if (value === null || typeof value !== 'object' || types.isProxy(value)) return out;
  for (const key of Object.keys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d && 'value' in d && Array.isArray(d.value)) out.set(key, d.value as unknown[]);
  }
  return out;
}

/** `makeJob({"id":1})`, `new Customer()`: how a call is shown, kept short. */
export function callText(name: string, args: readonly unknown[], construct: boolean): string {
  let list: string;
  try {
    list = args.map((a) => (a === undefined ? 'undefined' : (JSON.stringify(a) ?? String(a)))).join(', ');
  } catch {
    list = '...';
  }
  if (list.length > 60) list = `${list.slice(0, 57)}...`;
  return `${construct ? 'new ' : ''}${name}(${list})`;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/**
 * The value to check for one export:
 *
 * - data: as it is;
 * - a function or a class with arguments from `--args` or from the module's `samples` export:
 *   called (a class constructed with `new`) with them under `--call` or `--args`, and what it
 *   returns (awaited) is checked;
 * - one that declares no parameters: called with none under `--call`;
 * - any other function or class: a note that says how to give its arguments;
 * - a Promise: awaited under `--await`, else a note;
 * - a live object (an EventEmitter: a Worker, a pool, a child process, a stream, a server): a note,
 *   unless named with `--export`;
 * - `samples` itself under `--call`: a note.
 */
export async function settleExport(exp: ModuleExport, samples: ReadonlyMap<string, readonly unknown[]>, options: SettleOptions): Promise<Settled> {
  const cwd = options.cwd ?? process.cwd();
  const value = exp.value;
  const given = options.args.get(exp.name);
  if (exp.name === SAMPLES_EXPORT && samples.size > 0 && (options.call || options.args.size > 0)) {
    return { kind: 'note', note: 'skipped: the arguments for --call' };
  }
  if (typeof value === 'function') {
    const construct = isClass(value);
    const what = construct ? 'a class' : 'a function';
    const args = given ?? samples.get(exp.name);
    const declared = safeLength(value);
    if (given === undefined && !options.call) {
      return { kind: 'note', note: `skipped: ${what}, not data (--call checks ${construct ? 'an instance' : 'what it returns'})` };
    }
    if (args === undefined && declared > 0) {
      return {
        kind: 'note',
        note: `skipped: ${what} of ${plural(declared, 'parameter')}; give its arguments with --args ${exp.name}='[...]' or in an exported samples object`,
      };
    }
    const list = args ?? [];
    const obtained = callText(exp.name, list, construct);
    let result: unknown;
    try {
      result = construct
        ? Reflect.construct(value as new (...a: unknown[]) => unknown, list)
        : Reflect.apply(value as (...a: unknown[]) => unknown, undefined, list);
    } catch (error) {
      if (error instanceof ModuleExit) return { kind: 'error', obtained, error: `${obtained} called process.exit(${error.code ?? ''})` };
      return { kind: 'error', obtained, error: `${obtained} threw: ${describeThrown(error, cwd)}` };
    }
    if (types.isPromise(result)) {
      const settled = await settlePromise(result, obtained, options.timeout, cwd);
      return settled.ok ? { kind: 'value', value: settled.value, obtained } : { kind: 'error', obtained, error: settled.error };
    }
    return { kind: 'value', value: result, obtained };
  }
  if (given !== undefined) return { kind: 'error', error: `--args ${exp.name}: ${exp.name} is not a function` };
  if (types.isPromise(value)) {
    if (!options.await) return { kind: 'note', note: 'skipped: a Promise (--await checks what it resolves to)' };
    const obtained = `${exp.name}, awaited`;
    const settled = await settlePromise(value, exp.name, options.timeout, cwd);
    return settled.ok ? { kind: 'value', value: settled.value, obtained } : { kind: 'error', obtained, error: settled.error };
  }
  if (!options.named) {
    const live = liveObjectName(value);
    if (live !== undefined) return { kind: 'note', note: `skipped: a live object (${live}), not data (--export ${exp.name} checks it anyway)` };
  }
  return { kind: 'value', value };
}

/**
 * The class name of an EventEmitter (a Worker, a worker pool, a ChildProcess, a stream, a server):
 * an object that holds threads, handles or listeners, exported to be used, not sent. Read from the
 * prototype chain's descriptors: no getter or Proxy trap runs.
 */
function liveObjectName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || types.isProxy(value)) return undefined;
  let name: string | undefined;
  let proto: object | null = Object.getPrototypeOf(value) as object | null;
  for (let depth = 0; proto !== null && depth < 64; depth++) {
    if (types.isProxy(proto)) return undefined;
    if (name === undefined) {
      const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
      const d = typeof ctor === 'function' ? Object.getOwnPropertyDescriptor(ctor, 'name') : undefined;
      if (d && typeof d.value === 'string' && d.value !== '') name = d.value;
    }
    if (proto === EventEmitter.prototype) return `${name && name !== 'EventEmitter' ? `${name}, ` : ''}an EventEmitter`;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return undefined;
}

function safeLength(fn: unknown): number {
  try {
    const d = Object.getOwnPropertyDescriptor(fn, 'length');
    return d && 'value' in d && typeof d.value === 'number' ? d.value : 0;
  } catch {
    return 0;
  }
}

async function settlePromise(
  promise: Promise<unknown>,
  label: string,
  timeout: number,
  cwd: string,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LoadError('timeout', `${label} did not settle within ${timeout} ms; use --timeout to wait longer`)), timeout);
  });
  try {
    return { ok: true, value: await Promise.race([promise, timedOut]) };
  } catch (error) {
    if (error instanceof LoadError) return { ok: false, error: error.message };
    if (error instanceof ModuleExit) return { ok: false, error: `${label} called process.exit(${error.code ?? ''})` };
    return { ok: false, error: `${label} rejected: ${describeThrown(error, cwd)}` };
  } finally {
    clearTimeout(timer);
  }
}
