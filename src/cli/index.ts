/**
 * `clonecheck [paths..]`: loads each module, checks each data export as its own root, prints a
 * report; `clonecheck scan [paths..]`: the sends found in a project's code. Glue only:
 * arguments -> files -> load -> check -> report -> exit code. See docs/cli.md.
 *
 * Start-up is kept short: the checker, yargs (for --help), tsx (for TypeScript that Node cannot
 * load by itself) and the reporters are imported only when a run needs them.
 */
import { resolve } from 'node:path';
import { parseCommandLine, helpText, UsageError, type CliArgs, type Format } from './args.js';
import { lazy } from './lazy.js';
import { docsLink, packageJson } from '../report/meta.js';
import type { Channel, CheckOptions, CheckResult, Finding, Target } from '../types.js';
import type { FailLevel, FileReport, ReportSubject, SubjectView } from '../report/subject.js';
import type { Totals } from '../report/human.js';

/** Exit codes, as documented in docs/cli.md: the worst outcome of the run wins. */
export const EXIT = {
  /** Nothing fails the run. */
  ok: 0,
  /** Findings that fail the run, or --verify found the prediction wrong. */
  failed: 1,
  /** A file that could not be loaded, an export that could not be checked, or a usage error. */
  error: 2,
} as const;

/** The exit code of a run that got as far as a report: errors first, then failures. */
export function exitCodeFor(run: { readonly errors: number; readonly failing: number; readonly disagreements?: number }): 0 | 1 | 2 {
  if (run.errors > 0) return EXIT.error;
  return run.failing > 0 || (run.disagreements ?? 0) > 0 ? EXIT.failed : EXIT.ok;
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

export interface Io {
  /** Writes report text; resolves when the stream can take more. */
  readonly out: (text: string) => void | Promise<void>;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
  readonly columns?: number | undefined;
  readonly cwd?: string | undefined;
}

/** The settings of a run, from the flags, then the config file, then the defaults. */
export interface RunSettings {
  readonly channels: Channel[];
  /** Whether the channels came from a flag or the config file (not the default). */
  readonly channelsGiven: boolean;
  readonly target: Target | undefined;
  readonly failLevel: FailLevel;
  readonly ignore: string[];
  readonly format: Format;
  readonly color: boolean;
  readonly maxEntries: number;
  /** Findings collected per subject: past them the checker only counts whether more were lossy. */
  readonly collect: number;
  readonly configFile: string | undefined;
}

/** How many findings a check collects at most, for a given number of entries shown. */
export function collectLimit(maxEntries: number): number {
  return maxEntries === Infinity ? Infinity : Math.max(100_000, maxEntries * 10);
}

/** The exit code so far: what the run ends with if the output is closed under it (EPIPE). */
let provisional: number = EXIT.ok;

async function settingsFor(args: CliArgs, io: Io): Promise<RunSettings> {
  const { loadConfig } = await lazy<typeof import('../config/index.js')>('../config/index.js');
  const { readIgnore } = await lazy<typeof import('../policy/ignore.js')>('../policy/ignore.js');
  const { CHANNELS } = await lazy<typeof import('../types.js')>('../types.js');
  // A bad entry is a usage error here, before any module runs (the config file's are read by loadConfig).
  readIgnore(args.ignore, '--ignore');
  const loaded = loadConfig(io.cwd ?? process.cwd());
  const config = loaded?.config ?? {};
  return {
    channels: args.channels ?? (config.channels ? [...config.channels] : [...CHANNELS]),
    channelsGiven: args.channels !== undefined || config.channels !== undefined,
    target: args.target ?? config.target,
    failLevel: args.failLevel ?? config.failOn ?? 'loss',
    ignore: [...(config.ignore ?? []), ...args.ignore],
    format: args.format,
    color: args.format === 'human' && shouldColor(args.color, { isTTY: io.isTTY }, io.env),
    maxEntries: args.maxEntries,
    collect: collectLimit(args.maxEntries),
    configFile: loaded?.file,
  };
}

/**
 * Runs the command. Writes the report to `out` as it goes, one line per problem to `err`, and
 * resolves with the exit code. Never throws for bad input.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  provisional = EXIT.ok;
  let args: CliArgs;
  let settings: RunSettings;
  try {
    args = parseCommandLine(argv);
    if (args.help) {
      await io.out(`${await helpText(args.command, io.columns)}\n`);
      return EXIT.ok;
    }
    if (args.version) {
      await io.out(`${packageJson().version}\n`);
      return EXIT.ok;
    }
    if (args.paths.length === 0 && args.command === 'check') throw new UsageError('no module given: name files, directories or quoted globs');
    settings = await settingsFor(args, io);
  } catch (error) {
    const text = error instanceof Error ? error.message.replace(/^clonecheck: /, '') : String(error);
    io.err(`clonecheck: ${text} (see clonecheck --help)\n`);
    return EXIT.error;
  }
  if (args.command === 'scan') return runScan(args, settings, io);
  return runCheck(args, settings, io);
}

// ---- the report, whatever the format ----

interface Verified {
  readonly sends: number;
  readonly disagreements: number;
}

/** ` Verified: 9 real sends agree with the prediction.`, or how many places disagree. */
function verifiedText(v: Verified | undefined): string {
  if (v === undefined) return '';
  const sends = `${v.sends} real send${v.sends === 1 ? '' : 's'}`;
  return v.disagreements === 0
    ? ` Verified: ${sends} agree with the prediction.`
    : ` Verified: ${v.disagreements} disagreement${v.disagreements === 1 ? '' : 's'} with the prediction in ${sends}.`;
}

interface Reporter {
  readonly start: () => string;
  readonly file: (file: FileReport, views: readonly SubjectView[]) => string;
  /** `verified`: with --verify, how many real sends were made and how many places disagreed. */
  readonly end: (totals: Totals, exitCode: number, verified?: Verified) => string;
}

async function reporterFor(settings: RunSettings, args: CliArgs, io: Io, what: 'exports' | 'send sites'): Promise<Reporter> {
  const cwd = io.cwd ?? process.cwd();
  switch (settings.format) {
    case 'human': {
      const { renderFileHuman, summaryLine } = await lazy<typeof import('../report/human.js')>('../report/human.js');
      let first = true;
      return {
        start: () => '',
        file: (file, views) => {
          const text = renderFileHuman(file, views, { ...settings });
          const sep = first ? '' : '\n';
          first = false;
          return sep + text;
        },
        end: (totals, _code, verified) =>
          `\n${summaryLine(totals, settings.failLevel, settings.channels, settings.color, what).trimEnd()}${verifiedText(verified)}\n`,
      };
    }
    case 'json': {
      const { JSON_SCHEMA_VERSION, jsonFile, indent } = await lazy<typeof import('../report/json.js')>('../report/json.js');
      let first = true;
      const head = {
        version: JSON_SCHEMA_VERSION,
        tool: { name: 'clonecheck', version: packageJson().version },
        node: process.versions.node,
        command: args.command,
        options: {
          channels: settings.channels,
          target: settings.target ?? `node${process.versions.node.split('.')[0]}`,
          failOn: settings.failLevel,
          ignore: settings.ignore,
          call: args.call,
          args: Object.fromEntries(args.args),
          await: args.await,
          verify: args.verify,
          maxFindings: settings.maxEntries === Infinity ? 0 : settings.maxEntries,
          config: settings.configFile ?? null,
        },
      };
      return {
        start: () => `${JSON.stringify(head, null, 2).replace(/\n}$/, '')},\n  "files": [`,
        file: (file, views) => {
          const text = `${first ? '\n' : ',\n'}    ${indent(jsonFile(file, views), 4)}`;
          first = false;
          return text;
        },
        end: (t, exitCode, verified) => {
          const summary = {
            files: t.files,
            unloadable: t.unloadable,
            subjects: t.subjects,
            checked: t.checked,
            errors: t.errors,
            counts: t.counts,
            findings: t.counts.throw + t.counts.loss + t.counts.reshape + t.counts.note,
            ignored: t.ignored,
            failing: t.failing,
            truncated: t.truncated,
            disagreements: verified?.disagreements ?? null,
            exitCode,
          };
          return `${first ? '' : '\n  '}],\n  "summary": ${indent(JSON.stringify(summary, null, 2), 2)}\n}\n`;
        },
      };
    }
    case 'sarif': {
      const { SARIF_SCHEMA, SARIF_VERSION, sarifNotifications, sarifResults, sarifRules, sarifSourceRoot } =
        await lazy<typeof import('../report/sarif.js')>('../report/sarif.js');
      const notifications: unknown[] = [];
      let first = true;
      return {
        start: () => `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":${JSON.stringify(SARIF_VERSION)},"runs":[{"results":[`,
        file: (file, views) => {
          notifications.push(...sarifNotifications(file, views, cwd));
          const results = sarifResults(views, cwd);
          if (results.length === 0) return '';
          const text = `${first ? '\n' : ',\n'}${results.join(',\n')}`;
          first = false;
          return text;
        },
        end: (_t, exitCode) => {
          const pkg = packageJson();
          const tool = {
            driver: {
              name: 'clonecheck',
              version: pkg.version,
              semanticVersion: pkg.version,
              informationUri: docsLink('README.md', pkg),
              rules: sarifRules(pkg),
            },
          };
          const invocation = { executionSuccessful: true, exitCode, toolExecutionNotifications: notifications };
          return `\n],"tool":${JSON.stringify(tool)},"invocations":[${JSON.stringify(invocation)}],"originalUriBaseIds":{"%SRCROOT%":{"uri":${JSON.stringify(sarifSourceRoot(cwd))}}},"columnKind":"utf16CodeUnits"}]}\n`;
        },
      };
    }
    case 'github': {
      const { renderFileGithub } = await lazy<typeof import('../report/github.js')>('../report/github.js');
      const { summaryLine } = await lazy<typeof import('../report/human.js')>('../report/human.js');
      return {
        start: () => '',
        file: (file, views) => renderFileGithub(file, views),
        end: (totals, _code, verified) => `${summaryLine(totals, settings.failLevel, settings.channels, false, what).trimEnd()}${verifiedText(verified)}\n`,
      };
    }
  }
}

/** Strips a leading `file: ` from a load error, which the report already shows in its place. */
function withoutFile(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

// ---- clonecheck [paths..] ----

async function runCheck(args: CliArgs, settings: RunSettings, io: Io): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const { expandPaths } = await lazy<typeof import('./files.js')>('./files.js');
  const { check } = await lazy<typeof import('../check/index.js')>('../check/index.js');
  const { LoadError, loadModule } = await lazy<typeof import('./load.js')>('./load.js');
  const { samplesOf, settleExport } = await lazy<typeof import('./exports.js')>('./exports.js');
  const { locateExports } = await lazy<typeof import('./locate.js')>('./locate.js');
  const { viewOf } = await lazy<typeof import('../report/subject.js')>('../report/subject.js');
  const { addToTotals, emptyTotals } = await lazy<typeof import('../report/human.js')>('../report/human.js');
  const reporter = await reporterFor(settings, args, io, 'exports');

  const expanded = expandPaths(args.paths, cwd);
  // Every path in its place: the files found, and what names nothing.
  const order: ({ file: string } | { file: string; error: string })[] = [...expanded.files.map((file) => ({ file }))];
  for (const m of [...expanded.missing].reverse()) order.splice(m.index, 0, { file: m.file, error: m.error });

  let totals = emptyTotals();
  let disagreements = 0;
  let sends = 0;
  let otherFailures = 0;
  const wanted = new Set(args.exports);
  const found = new Set<string>();
  const exportNames = new Set<string>();
  const settle = { call: args.call, args: args.args, await: args.await, timeout: args.timeout, cwd };
  const checkOptions: CheckOptions = {
    channels: settings.channels,
    root: 'message',
    maxFindings: settings.collect,
    ...(settings.target !== undefined ? { target: settings.target } : {}),
    ...(settings.ignore.length > 0 ? { ignore: settings.ignore } : {}),
  };

  const loadedModules: import('./load.js').LoadedModule[] = [];
  await io.out(reporter.start());
  for (const item of order) {
    let report: FileReport;
    if ('error' in item) {
      report = { file: item.file, subjects: [], error: withoutFile(item.error, item.file) };
    } else {
      report = await checkFile(item.file);
    }
    const views = report.subjects.map((s) => viewOf(s, settings));
    totals = addToTotals(totals, report, views);
    for (const s of report.subjects) if (s.failsOtherwise) otherFailures++;
    provisional = exitCodeFor({ errors: totals.unloadable + totals.errors, failing: totals.failing + otherFailures, disagreements });
    await io.out(reporter.file(report, views));
  }

  const missingExports = [...wanted].filter((n) => !found.has(n));
  let usage = 0;
  if (missingExports.length > 0) {
    const known = [...exportNames];
    io.err(
      `clonecheck: no module exports ${missingExports.map((n) => JSON.stringify(n)).join(', ')}${known.length ? ` (exports: ${known.join(', ')})` : ''}\n`,
    );
    usage = 1;
  }
  const code = exitCodeFor({ errors: totals.unloadable + totals.errors + usage, failing: totals.failing + otherFailures, disagreements });
  provisional = code;
  await io.out(reporter.end(totals, code, args.verify ? { sends, disagreements } : undefined));
  return code;

  async function checkFile(file: string): Promise<FileReport> {
    let module;
    try {
      module = await loadModule(file, { timeout: args.timeout, cwd });
    } catch (error) {
      if (error instanceof LoadError) return { file, subjects: [], error: withoutFile(error.message, file) };
      throw error;
    }
    for (const e of module.exports) exportNames.add(e.name);
    // A function found in a value can then be named by the module that exports it (origins).
    loadedModules.push(module);
    const selected = wanted.size === 0 ? module.exports : module.exports.filter((e) => wanted.has(e.name));
    for (const e of selected) found.add(e.name);
    if (module.exports.length === 0) return { file, subjects: [], note: 'nothing to check: it has no exports' };
    if (selected.length === 0)
      return { file, subjects: [], note: `nothing to check: it has no export named ${[...wanted].map((n) => JSON.stringify(n)).join(' or ')}` };
    const locations = locateExports(
      module.path,
      selected.map((e) => e.name),
    );
    // In the order of the source where it is known (default first otherwise, then by name).
    const lineOf = (name: string): number => locations.get(name)?.line ?? Infinity;
    const inOrder = [...selected].sort((a, b) => lineOf(a.name) - lineOf(b.name));
    const samples = samplesOf(module);
    const subjects: ReportSubject[] = [];
    for (const exp of inOrder) {
      const where = locations.get(exp.name);
      const base = { kind: 'export' as const, name: exp.name, file, ...(where ? { line: where.line, column: where.column } : {}), channels: settings.channels };
      const settled = await settleExport(exp, samples, settle);
      if (settled.kind === 'note') {
        subjects.push({ ...base, findings: [], ignored: [], note: settled.note });
        continue;
      }
      if (settled.kind === 'error') {
        subjects.push({ ...base, findings: [], ignored: [], error: settled.error, ...(settled.obtained !== undefined ? { obtained: settled.obtained } : {}) });
        continue;
      }
      const result: CheckResult = check(settled.value, { ...checkOptions, origins: { modules: loadedModules, cwd } });
      const internal = (result as { internalError?: unknown }).internalError;
      const label = `export ${settled.obtained ?? exp.name} (${file})`;
      if (internal !== undefined) io.err(`clonecheck: internal error while checking ${label}, please report it: ${String(internal)}\n`);
      let extra: string[] | undefined;
      let data: Record<string, unknown> | undefined;
      let failsOtherwise = internal !== undefined;
      if (args.verify) {
        const verify = await lazy<typeof import('./verify.js')>('./verify.js');
        verify.state.verifying = label;
        const verification = await verify.verifyExport(settled.value, result);
        verify.state.verifying = undefined;
        extra = verify.renderVerification(verification);
        data = { verify: verification };
        const count = verification.reduce((n, v) => n + v.disagreements.length, 0);
        disagreements += count;
        sends += verification.length;
      }
      const truncated = result.truncated;
      if (truncated && !failsOtherwise) {
        // Past the collected findings the checker still says which channels lose something: do not
        // let a value pass because its worst finding came after the limit.
        const lossy = settings.channels.some((ch) => result.lossless[ch] === false);
        const collectedFail = viewOf({ ...base, findings: result.findings, ignored: [] }, settings).failing > 0;
        if (lossy && !collectedFail && settings.failLevel !== 'none') {
          failsOtherwise = true;
          extra = [
            ...(extra ?? []),
            `findings past the first ${result.findings.length} were not collected and may fail the run; --max-findings 0 collects them all`,
          ];
        }
      }
      subjects.push({
        ...base,
        findings: result.findings,
        ignored: (result as { ignored?: Finding[] }).ignored ?? [],
        ...(settled.obtained !== undefined ? { obtained: settled.obtained } : {}),
        ...(truncated ? { truncated } : {}),
        ...(extra ? { extra } : {}),
        ...(data ? { data } : {}),
        ...(failsOtherwise ? { failsOtherwise } : {}),
      });
    }
    return { file, subjects };
  }
}

// ---- clonecheck scan [paths..] ----

async function runScan(args: CliArgs, settings: RunSettings, io: Io): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let result: Awaited<ReturnType<(typeof import('../scan/index.js'))['scan']>>;
  try {
    const { scan } = await lazy<typeof import('../scan/index.js')>('../scan/index.js');
    result = await scan({
      paths: args.paths,
      cwd,
      // Each send site crosses its own channels; only a channel list the user gave narrows them.
      ...(settings.channelsGiven ? { channels: settings.channels } : {}),
      ...(settings.target !== undefined ? { target: settings.target } : {}),
      ...(settings.ignore.length > 0 ? { ignore: settings.ignore } : {}),
    });
  } catch (error) {
    io.err(`clonecheck: ${error instanceof Error ? error.message.replace(/^clonecheck:? (?:scan: )?/, '') : String(error)}\n`);
    return EXIT.error;
  }
  const { viewOf } = await lazy<typeof import('../report/subject.js')>('../report/subject.js');
  const { addToTotals, emptyTotals } = await lazy<typeof import('../report/human.js')>('../report/human.js');
  const reporter = await reporterFor(settings, args, io, 'send sites');
  // One report per file that has send sites, in the scanner's order.
  const files = new Map<string, ReportSubject[]>();
  for (const s of result.subjects) {
    const list = files.get(s.file);
    if (list) list.push(s);
    else files.set(s.file, [s]);
  }
  let totals = emptyTotals();
  await io.out(reporter.start());
  for (const [file, subjects] of files) {
    const report: FileReport = { file, subjects };
    const views = subjects.map((s) => viewOf(s, settings));
    totals = addToTotals(totals, report, views);
    provisional = exitCodeFor({ errors: totals.unloadable + totals.errors, failing: totals.failing });
    await io.out(reporter.file(report, views));
  }
  const code = exitCodeFor({ errors: totals.unloadable + totals.errors, failing: totals.failing });
  provisional = code;
  await io.out(reporter.end({ ...totals, files: result.files.length }, code));
  return code;
}

// ---- the process ----

/**
 * The executable's entry (bin/clonecheck.js): runs `main` on the process, keeps stdout for the
 * report alone, ends quietly when stdout is closed (`| head`), and exits with the run's code even if
 * the checked module left timers or servers open.
 */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout) as (text: string, done?: (error?: Error | null) => void) => boolean;
  // CLI-only: what the user's module prints goes to stderr, so that stdout is only the report (and
  // in JSON mode, only JSON).
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;

  // CLI-only: a module that calls process.exit() would end the run with its own exit code and no
  // report; make the call throw instead (clonecheck itself exits through `exit`).
  const exit: (code: number) => never = process.exit.bind(process);
  const { ModuleExit } = await lazy<typeof import('./load.js')>('./load.js');
  process.exit = ((code?: string | number | null) => {
    throw new ModuleExit(code);
  }) as typeof process.exit;

  // CLI-only: a reader that stops early (`clonecheck ... | head`) ends the run, quietly, with the
  // exit code so far.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') exit(provisional);
    process.stderr.write(`clonecheck: cannot write the report: ${error.message}\n`);
    exit(EXIT.error);
  });

  const err = (text: string): void => void process.stderr.write(text);
  // The module's own asynchronous failures, as node would see them, without a stack trace.
  process.on('unhandledRejection', (reason) => err(`clonecheck: warning: a Promise rejected and nothing handled it: ${describeReason(reason)}\n`));
  process.on('uncaughtException', async (error) => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') exit(provisional);
    const { state } = await lazy<typeof import('./verify.js')>('./verify.js');
    if (state.verifying !== undefined) {
      // Reality disagrees in the strongest way: the real send brought this process down.
      err(`clonecheck: --verify: sending ${state.verifying} for real crashed the sending process: ${describeReason(error)}\n`);
      exit(EXIT.failed);
    }
    if (error instanceof ModuleExit) err(`clonecheck: the module called process.exit(${error.code ?? ''}) after loading\n`);
    else err(`clonecheck: the module threw outside of loading: ${describeReason(error)}\n`);
    exit(EXIT.error);
  });

  const out = (text: string): Promise<void> | void => {
    if (text === '') return;
    if (write(text)) return;
    return new Promise<void>((resolve) => stdout.once('drain', () => resolve()));
  };

  let code: number;
  try {
    code = await main(argv, { out, err, env: process.env, isTTY: stdout.isTTY === true, columns: stdout.columns, cwd: resolve('.') });
  } catch (error) {
    // A bug in clonecheck, not bad input: this one keeps its stack.
    err(`clonecheck: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = EXIT.error;
  }
  const { state } = await lazy<typeof import('./verify.js')>('./verify.js');
  if (state.sentForReal) {
    const { closeRoundTrip } = await lazy<typeof import('../verify/roundtrip.js')>('../verify/roundtrip.js');
    await closeRoundTrip().catch(() => undefined);
  }
  // Everything written is flushed before the exit.
  await new Promise<void>((resolve) => write('', () => resolve()));
  exit(code);
}

function describeReason(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${value.message.split('\n')[0]}`;
  }
  return typeof value === 'string' ? value : Object.prototype.toString.call(value);
}
