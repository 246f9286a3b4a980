/**
 * `clonecheck <file...>`: loads modules, checks each export as its own root, prints a report.
 * Glue only: yargs -> load -> check -> report -> exit code. See docs/cli.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { types } from 'node:util';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { check } from '../check.js';
import { LoadError, loadModule, ModuleExit, selectExports, settleExport, type LoadedModule, type ModuleExport, type Obtained } from './load.js';
import { DEFAULT_FAIL_ON, failing } from '../policy.js';
import { countEffects, formatReport, formatSummary } from '../report/index.js';
import { CHANNELS, EFFECTS, type Channel, type CheckResult, type Effect, type Finding, type PathSegment } from '../types.js';
import type { Arrival } from '../verify/roundtrip.js';
import type { Difference } from '../verify/description.js';

/** Exit codes, as documented in docs/cli.md. */
export const EXIT = {
  /** Nothing at or above the failure level (and, with --verify, reality agrees). */
  ok: 0,
  /** Findings that fail the run, or --verify found the prediction wrong. */
  failed: 1,
  /** A usage error, or a module that cannot be loaded. */
  error: 2,
} as const;

/** The version of the `--format json` document; bumped on any change that is not an addition. */
export const JSON_SCHEMA_VERSION = 1;

/** The exit code of a run that got as far as a report. */
export function exitCodeFor(run: { readonly failing: number; readonly disagreements: number }): 0 | 1 {
  return run.failing > 0 || run.disagreements > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * Whether to colour: `--color`/`--no-color` first, then `FORCE_COLOR` (`0` or `false` turn it off),
 * then `NO_COLOR` (any non-empty value), then whether the stream is a terminal (not `TERM=dumb`).
 */
export function shouldColor(flag: boolean | undefined, stream: { readonly isTTY?: boolean | undefined }, env: NodeJS.ProcessEnv): boolean {
  if (flag !== undefined) return flag;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

/** `--fail-on` values: effects, repeated or comma-separated; `none` never fails. */
export function parseFailOn(values: readonly string[] | undefined): Effect[] {
  if (values === undefined || values.length === 0) return [...DEFAULT_FAIL_ON];
  const words = splitList(values);
  if (words.length === 1 && words[0] === 'none') return [];
  const bad = words.filter((w) => !(EFFECTS as readonly string[]).includes(w));
  if (bad.length) throw new UsageError(`--fail-on: unknown effect ${JSON.stringify(bad[0])}; use ${EFFECTS.join(', ')} or none`);
  return EFFECTS.filter((e) => words.includes(e));
}

/** `--channel` values, repeated or comma-separated; all three when none is given. */
export function parseChannels(values: readonly string[] | undefined): Channel[] {
  if (values === undefined || values.length === 0) return [...CHANNELS];
  const words = splitList(values);
  const bad = words.filter((w) => !(CHANNELS as readonly string[]).includes(w));
  if (bad.length) throw new UsageError(`--channel: unknown channel ${JSON.stringify(bad[0])}; use ${CHANNELS.join(', ')}`);
  return CHANNELS.filter((c) => words.includes(c));
}

function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** Bad command line input: reported as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

// ---- the document ----

export interface JsonFinding {
  readonly channel: Channel;
  readonly effect: Effect;
  readonly code: string;
  readonly path: readonly JsonPathSegment[];
  readonly at: string;
  readonly message: string;
  readonly hint?: string;
  readonly args: Finding['args'];
}

/** A path step as JSON: a key, an index, a Map/Set entry, or a symbol key by its description. */
export type JsonPathSegment = string | number | { readonly kind: 'map-key' | 'map-value' | 'set-member'; readonly index: number } | { readonly kind: 'symbol'; readonly description: string | null };

export interface Disagreement {
  readonly channel: Channel;
  /**
   * - `outcome`: the send threw, crashed the receiver or was swallowed when no finding said so, or
   *   the reverse.
   * - `unpredicted`: the value arrived different at a place no finding covers.
   * - `unconfirmed`: a finding says something is lost or changed, but it arrived the same.
   */
  readonly kind: 'outcome' | 'unpredicted' | 'unconfirmed';
  readonly at: string;
  readonly detail: string;
}

export interface Verification {
  readonly channel: Channel;
  /** What the real send did: `arrived`, `threw`, `swallowed` (child_process took it as its own) or `crashed`. */
  readonly outcome: Arrival['outcome'];
  /** The real send's error, when it threw or the receiver crashed. */
  readonly error?: string;
  /** How many places arrived different (when it arrived). */
  readonly differences?: number;
  readonly agrees: boolean;
  readonly disagreements: readonly Disagreement[];
}

interface CheckedExport {
  readonly module: LoadedModule;
  readonly exp: ModuleExport;
  readonly result: CheckResult;
  readonly failing: number;
  readonly verify: readonly Verification[] | undefined;
}

interface RunOptions {
  readonly channels: Channel[];
  readonly failOn: Effect[];
  readonly call: boolean;
  readonly await: boolean;
  readonly verify: boolean;
  readonly format: 'human' | 'json';
  readonly color: boolean;
  readonly timeout: number;
}

// ---- verification ----

/**
 * Where a real send disagrees with one channel's findings: a `throws` prediction against whether
 * the send threw (a receiver that crashes on the message counts as a throw, an IPC-swallowed
 * message as `MESSAGE_SWALLOWED`), and the lossy findings against the places that arrived
 * different. A finding covers a difference when one's path leads to the other's.
 */
export function compareWithArrival(channel: Channel, findings: readonly Finding[], arrival: Arrival, differences: readonly Difference[]): Disagreement[] {
  const mine = findings.filter((f) => f.channel === channel);
  const throwing = mine.find((f) => f.effect === 'throws');
  const swallowing = mine.find((f) => f.code === 'MESSAGE_SWALLOWED');
  const out: Disagreement[] = [];
  const outcome = (at: string, detail: string): void => void out.push({ channel, kind: 'outcome', at, detail });
  switch (arrival.outcome) {
    case 'threw':
      if (!throwing) outcome('$', `the real send threw (${errorText(arrival.error)}), but no finding says it throws`);
      return out;
    case 'crashed':
      if (!throwing) outcome('$', `the receiver could not take the message (${arrival.error ? errorText(arrival.error) : arrival.reason}), but no finding says the send fails`);
      return out;
    case 'swallowed':
      if (!swallowing) outcome('$', 'child_process IPC swallowed the message (nothing arrived), but no finding says so');
      return out;
    case 'arrived':
      break;
  }
  if (throwing) {
    outcome(throwing.at, `${throwing.code} says the send throws, but it arrived`);
    return out;
  }
  if (swallowing) {
    outcome(swallowing.at, 'MESSAGE_SWALLOWED says nothing arrives, but it arrived');
    return out;
  }
  const lossy = mine.filter((f) => f.effect !== 'note');
  const keysOf = (path: readonly PathSegment[]): string[] => path.map(segmentKey);
  const lossyKeys = lossy.map((f) => keysOf(f.path));
  const diffKeys = differences.map((d) => keysOf(d.path));
  differences.forEach((d, i) => {
    if (!lossyKeys.some((k) => related(k, diffKeys[i]!))) out.push({ channel, kind: 'unpredicted', at: d.at, detail: `arrived different, and no finding says so: ${d.what}` });
  });
  lossy.forEach((f, i) => {
    if (!diffKeys.some((k) => related(k, lossyKeys[i]!))) out.push({ channel, kind: 'unconfirmed', at: f.at, detail: `${f.code} says it is ${f.effect}, but it arrived the same` });
  });
  return out;
}

function segmentKey(segment: PathSegment): string {
  switch (typeof segment) {
    case 'number':
      return `#${segment}`;
    case 'string':
      return `.${segment}`;
    case 'symbol':
      return `@${String(segment)}`;
    default:
      return `${segment.kind}:${segment.index}`;
  }
}

/** One path is a prefix of the other. */
function related(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function errorText(error: { readonly name: string; readonly message: string }): string {
  return `${error.name}: ${error.message.split('\n')[0]}`;
}

/** Set once real sends were made, so that `run` stops the receivers before exiting. */
let sentForReal = false;
/** The export being sent for real, while it is (an uncaught error then comes from the send). */
let verifying: string | undefined;

async function verifyExport(value: unknown, result: CheckResult): Promise<Verification[]> {
  // Loaded only for --verify: it starts Workers and child processes.
  sentForReal = true;
  const { inspectArrival } = await import('../verify/roundtrip.js');
  const { diffDescriptions } = await import('../verify/diff.js');
  return Promise.all(
    result.channels.map(async (channel): Promise<Verification> => {
      const arrival = await inspectArrival(value, channel);
      const differences = arrival.outcome === 'arrived' ? diffDescriptions(arrival.sent, arrival.description) : [];
      const disagreements = compareWithArrival(channel, result.findings, arrival, differences);
      const error = arrival.outcome === 'threw' ? arrival.error : arrival.outcome === 'crashed' ? arrival.error : undefined;
      return {
        channel,
        outcome: arrival.outcome,
        ...(error ? { error: errorText(error) } : {}),
        ...(arrival.outcome === 'arrived' ? { differences: differences.length } : {}),
        agrees: disagreements.length === 0,
        disagreements,
      };
    }),
  );
}

// ---- rendering ----

function title(c: Pick<CheckedExport, 'module' | 'exp'>): string {
  const name = c.exp.obtained === 'called' ? `${c.exp.name}()` : c.exp.obtained === 'awaited' ? `${c.exp.name}, awaited` : c.exp.name;
  return `export ${name} (${c.module.file})`;
}

function renderHuman(modules: readonly LoadedModule[], checked: readonly CheckedExport[], options: RunOptions, totals: Totals): string {
  const blocks: string[] = [];
  const inOrder = modules.flatMap((module): (CheckedExport | LoadedModule)[] => {
    const mine = checked.filter((c) => c.module === module);
    return mine.length > 0 ? mine : [module];
  });
  for (const c of inOrder) {
    if (!('exp' in c)) {
      blocks.push(`${c.file}: nothing to check, it has no exports`);
      continue;
    }
    const lines: string[] = [];
    if (c.result.findings.length === 0) {
      lines.push(`${title(c)}: lossless on ${c.result.channels.join(', ')}`);
    } else {
      lines.push(formatReport(c.result.findings, { color: options.color, title: title(c), channels: c.result.channels }));
    }
    if (c.verify) lines.push(...renderVerification(c.verify));
    blocks.push(lines.join('\n'));
  }

  const tips: string[] = [];
  const fns = checked.filter((c) => c.exp.obtained === 'value' && typeof c.exp.value === 'function').map((c) => c.exp.name);
  const promises = checked.filter((c) => c.exp.obtained === 'value' && types.isPromise(c.exp.value)).map((c) => c.exp.name);
  if (fns.length && !options.call) tips.push(`tip: ${list(fns)} ${fns.length === 1 ? 'is a function' : 'are functions'}; --call checks what ${fns.length === 1 ? 'it returns' : 'they return'}.`);
  if (promises.length && !options.await) tips.push(`tip: ${list(promises)} ${promises.length === 1 ? 'is a Promise' : 'are Promises'}; --await checks what ${promises.length === 1 ? 'it resolves' : 'they resolve'} to.`);

  const all = checked.flatMap((c) => c.result.findings);
  const exportsText = `${checked.length} export${checked.length === 1 ? '' : 's'}`;
  const failText =
    options.failOn.length === 0
      ? 'none fail the run (--fail-on none)'
      : totals.failing === 0
        ? `none fail the run (--fail-on ${options.failOn.join(',')})`
        : `${totals.failing} fail the run (--fail-on ${options.failOn.join(',')})`;
  let summary = `Checked ${exportsText} on ${options.channels.join(', ')}: ${formatSummary(all, { color: options.color })}`;
  if (all.length > 0) summary += `; ${failText}`;
  summary += '.';
  if (options.verify) {
    const sends = checked.reduce((n, c) => n + (c.verify?.length ?? 0), 0);
    summary +=
      totals.disagreements === 0
        ? ` Verified: ${sends} real send${sends === 1 ? '' : 's'} agree with the prediction.`
        : ` Verified: ${totals.disagreements} disagreement${totals.disagreements === 1 ? '' : 's'} with the prediction in ${sends} real sends.`;
  }
  return [blocks.join('\n\n'), ...(tips.length ? ['', ...tips] : []), '', summary].join('\n') + '\n';
}

function renderVerification(verify: readonly Verification[]): string[] {
  if (verify.every((v) => v.agrees && v.outcome === 'arrived' && !v.differences)) {
    return [`verify: arrived the same on ${verify.map((v) => v.channel).join(', ')}, as predicted`];
  }
  const width = Math.max(...verify.map((v) => v.channel.length));
  const lines = ['verify (real sends):'];
  for (const v of verify) {
    lines.push(`  ${v.channel.padEnd(width)}  ${v.agrees ? 'agrees' : 'DISAGREES'}: ${outcomeText(v)}`);
    for (const d of v.disagreements) lines.push(`    ${d.at}  ${d.kind}: ${d.detail}`);
  }
  return lines;
}

function outcomeText(v: Verification): string {
  switch (v.outcome) {
    case 'arrived':
      return v.differences ? `arrived with ${v.differences} difference${v.differences === 1 ? '' : 's'}` : 'arrived the same';
    case 'threw':
      return `threw ${v.error ?? ''}`.trim();
    case 'crashed':
      return `receiver failed: ${v.error ?? ''}`.trim();
    case 'swallowed':
      return 'swallowed by IPC';
  }
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function jsonPath(path: readonly PathSegment[]): JsonPathSegment[] {
  return path.map((s) => (typeof s === 'symbol' ? { kind: 'symbol', description: s.description ?? null } : typeof s === 'object' ? { kind: s.kind, index: s.index } : s));
}

function jsonFinding(f: Finding): JsonFinding {
  return {
    channel: f.channel,
    effect: f.effect,
    code: f.code,
    path: jsonPath(f.path),
    at: f.at,
    message: f.message,
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
    args: f.args,
  };
}

function renderJson(loaded: readonly LoadedModule[], checked: readonly CheckedExport[], options: RunOptions, totals: Totals, exitCode: number): string {
  const modules = loaded.map((module) => ({ module, file: module.file, path: module.path, exports: [] as unknown[] }));
  for (const c of checked) {
    const m = modules.find((x) => x.module === c.module)!;
    const lossless: Partial<Record<Channel, boolean>> = {};
    for (const ch of c.result.channels) lossless[ch] = c.result.lossless[ch];
    m.exports.push({
      name: c.exp.name,
      obtained: c.exp.obtained satisfies Obtained,
      lossless,
      counts: countEffects(c.result.findings),
      failing: c.failing,
      truncated: c.result.truncated,
      findings: c.result.findings.map(jsonFinding),
      ...(c.verify ? { verify: c.verify } : {}),
    });
  }
  const all = checked.flatMap((c) => c.result.findings);
  const doc = {
    version: JSON_SCHEMA_VERSION,
    tool: { name: 'clonecheck', version: packageVersion() },
    node: process.versions.node,
    options: { channels: options.channels, failOn: options.failOn, call: options.call, await: options.await, verify: options.verify },
    modules: modules.map(({ file, path, exports }) => ({ file, path, exports })),
    summary: {
      modules: modules.length,
      exports: checked.length,
      findings: all.length,
      counts: countEffects(all),
      failing: totals.failing,
      disagreements: options.verify ? totals.disagreements : null,
      exitCode,
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

interface Totals {
  readonly failing: number;
  readonly disagreements: number;
}

// ---- the command ----

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const EPILOG = `clonecheck executes each module (and, with --call, its exported functions), as node would: run it only on code you trust. With --verify, each export is also really sent, which runs its getters and toJSON().

Exit codes:
  0  nothing at or above the failure level (--fail-on), and with --verify, reality agrees
  1  findings that fail the run, or --verify found a send that disagrees with the prediction
  2  a usage error, or a module that cannot be loaded (one line on stderr, nothing on stdout)

Colour is used on a terminal; NO_COLOR turns it off, FORCE_COLOR on. Docs: docs/cli.md`;

function parser(argv: readonly string[]) {
  return yargs([...argv])
    .scriptName('clonecheck')
    // --help and --version are handled by main(), so that they print to stdout and exit 0 like the rest.
    .help(false)
    .version(false)
    .usage('$0 <file...> [options]\n\nChecks what each export of a module would look like after a trip to a Worker (worker: structured clone), a forked child (fork: JSON IPC) or a forked child with serialization: \'advanced\' (fork-advanced: V8), path by path. Loads .ts, .mts, .cts, .tsx, .js, .mjs and .cjs (TypeScript through tsx, with the nearest tsconfig.json).')
    .command('$0 [files..]', false, (y) => y.positional('files', { type: 'string', array: true, describe: 'Modules to load and check' }))
    .option('export', { alias: 'e', type: 'string', array: true, requiresArg: true, describe: 'Check only this export, by name ("default" for the default export; repeatable)' })
    .option('channel', { alias: 'c', type: 'string', array: true, requiresArg: true, describe: 'worker, fork or fork-advanced (repeatable or comma-separated) [default: all three]' })
    .option('fail-on', { type: 'string', array: true, requiresArg: true, describe: 'Effects that fail the run: throws, dropped, changed, note, or none [default: throws,dropped,changed]' })
    .option('call', { type: 'boolean', describe: 'Call exported functions with no arguments and check what they return (awaited)' })
    .option('await', { type: 'boolean', describe: 'Await exported Promises and check what they resolve to' })
    .option('verify', { type: 'boolean', describe: 'Also send each export through a real Worker and real forked children, and report where reality disagrees with the prediction' })
    .option('format', { alias: 'f', type: 'string', choices: ['human', 'json'], default: 'human', describe: 'human, or json: one document on stdout (docs/cli.md)' })
    .option('timeout', { type: 'number', default: 10_000, requiresArg: true, describe: 'Milliseconds that loading a module, a call or an awaited Promise may take' })
    .option('color', { type: 'boolean', describe: 'Colour on or off (--no-color) [default: on a terminal]' })
    .option('help', { alias: 'h', type: 'boolean', describe: 'Show this help' })
    .option('version', { alias: 'v', type: 'boolean', describe: 'Show the version' })
    .example('$0 fixtures/job-payload.ts', 'What each export loses on each channel')
    .example('$0 src/jobs.ts -e job -c worker', 'One export, one channel')
    .example('$0 src/jobs.ts --fail-on throws', 'Fail only where a send would throw')
    .example('$0 src/factories.ts --call', 'Check what exported factories return')
    .example('$0 src/config.ts --await', 'Check what an exported Promise resolves to')
    .example('$0 src/jobs.ts --format json > report.json', 'The findings as data')
    .example('$0 src/jobs.ts --verify', 'Prove the report with real sends')
    .epilog(EPILOG)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw new UsageError((message || error?.message || 'invalid arguments').replace(/\s*\n\s*/g, ' '));
    });
}

/**
 * Runs the command. Writes the report to `out`, one line per problem to `err`, and resolves with the
 * exit code. Never throws for bad input.
 */
export async function main(argv: readonly string[], io: { out: (text: string) => void; err: (text: string) => void; env: NodeJS.ProcessEnv; isTTY: boolean }): Promise<number> {
  let options: RunOptions;
  let files: string[];
  let exportNames: string[];
  try {
    const y = parser(argv);
    const args = await y.parseAsync();
    if (args.help) {
      io.out(`${await y.getHelp()}\n`);
      return EXIT.ok;
    }
    if (args.version) {
      io.out(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    // The same module given twice is loaded (and run) once.
    files = ((args.files as unknown as readonly unknown[] | undefined) ?? []).map(String).filter((f, i, all) => all.findIndex((g) => resolve(g) === resolve(f)) === i);
    if (files.length === 0) throw new UsageError('no module given');
    exportNames = splitList(args.export ?? []);
    if (args.export !== undefined && exportNames.length === 0) throw new UsageError('--export needs a name');
    if (!Number.isFinite(args.timeout) || args.timeout <= 0) throw new UsageError('--timeout needs a positive number of milliseconds');
    const format = args.format === 'json' ? 'json' : 'human';
    options = {
      channels: parseChannels(args.channel),
      failOn: parseFailOn(args['fail-on']),
      call: args.call === true,
      await: args.await === true,
      verify: args.verify === true,
      format,
      color: format === 'human' && shouldColor(args.color, { isTTY: io.isTTY }, io.env),
      timeout: args.timeout,
    };
  } catch (error) {
    io.err(`clonecheck: ${error instanceof Error ? error.message : String(error)} (see clonecheck --help)\n`);
    return EXIT.error;
  }

  const checked: CheckedExport[] = [];
  let selected: LoadedModule[];
  try {
    const modules: LoadedModule[] = [];
    for (const file of files) modules.push(await loadModule(file, { timeout: options.timeout }));
    selected = selectExports(modules, exportNames).filter((m) => m.exports.length > 0 || exportNames.length === 0);
    for (const module of selected) {
      for (const exported of module.exports) {
        const exp = await settleExport(module, exported, { call: options.call, await: options.await, timeout: options.timeout });
        const result = check(exp.value, { channels: options.channels, root: 'message' });
        const internal = (result.findings as { internalError?: unknown }).internalError;
        if (internal !== undefined) io.err(`clonecheck: internal error while checking ${title({ module, exp })}, please report it: ${String(internal)}\n`);
        verifying = options.verify ? title({ module, exp }) : undefined;
        const verify = options.verify ? await verifyExport(exp.value, result) : undefined;
        verifying = undefined;
        checked.push({ module, exp, result, failing: failing(result.findings, options.failOn).length + (internal !== undefined ? 1 : 0), verify });
      }
    }
  } catch (error) {
    if (error instanceof LoadError || error instanceof UsageError) {
      io.err(`clonecheck: ${error.message}\n`);
      return EXIT.error;
    }
    throw error;
  }

  const totals: Totals = {
    failing: checked.reduce((n, c) => n + c.failing, 0),
    disagreements: checked.reduce((n, c) => n + (c.verify?.reduce((m, v) => m + v.disagreements.length, 0) ?? 0), 0),
  };
  const code = exitCodeFor(totals);
  io.out(options.format === 'json' ? renderJson(selected, checked, options, totals, code) : renderHuman(selected, checked, options, totals));
  return code;
}

/**
 * The executable's entry (bin/clonecheck.js): runs `main` on the process, keeps stdout for the
 * report alone, and exits with its code even if the checked module left timers or servers open.
 */
export async function run(): Promise<never> {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout) as (text: string, done: () => void) => boolean;
  // CLI-only: what the user's module prints goes to stderr, so that stdout is only the report (and
  // in JSON mode, only JSON).
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;

  // CLI-only: a module that calls process.exit() would end the run with its own exit code and no
  // report; make the call throw instead (clonecheck itself exits through `exit`).
  const exit: (code: number) => never = process.exit.bind(process);
  process.exit = ((code?: string | number | null) => {
    throw new ModuleExit(code);
  }) as typeof process.exit;

  let out = '';
  const err = (text: string): void => void process.stderr.write(text);
  // The module's own asynchronous failures, as node would see them, without a stack trace.
  process.on('unhandledRejection', (reason) => err(`clonecheck: warning: a Promise rejected and nothing handled it: ${describeReason(reason)}\n`));
  process.on('uncaughtException', (error) => {
    if (verifying !== undefined) {
      // Reality disagrees in the strongest way: the real send brought this process down.
      err(`clonecheck: --verify: sending ${verifying} for real crashed the sending process: ${describeReason(error)}\n`);
      exit(EXIT.failed);
    }
    if (error instanceof ModuleExit) err(`clonecheck: the module called process.exit(${error.code ?? ''}) after loading\n`);
    else err(`clonecheck: the module threw outside of loading: ${describeReason(error)}\n`);
    exit(EXIT.error);
  });

  let code: number;
  try {
    code = await main(hideBin(process.argv), { out: (text) => void (out += text), err, env: process.env, isTTY: stdout.isTTY === true });
  } catch (error) {
    // A bug in clonecheck, not bad input: this one keeps its stack.
    err(`clonecheck: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = EXIT.error;
  }
  if (sentForReal) {
    const { closeRoundTrip } = await import('../verify/roundtrip.js');
    await closeRoundTrip().catch(() => undefined);
  }
  await new Promise<void>((resolve) => (out === '' ? resolve() : write(out, () => resolve())));
  exit(code);
}

function describeReason(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${value.message.split('\n')[0]}`;
  }
  return typeof value === 'string' ? value : Object.prototype.toString.call(value);
}
