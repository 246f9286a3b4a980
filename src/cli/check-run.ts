/**
 * `clonecheck [paths..]`: each path's modules loaded in order, each export settled (as exported,
 * called, awaited) and checked as its own root, each file reported as it is reached.
 */
import type { CheckOptions, CheckResult } from '../types.js';
import type { FileReport, ReportSubject } from '../report/subject.js';
import { atLeast } from '../findings/severity.js';
import { didYouMean } from '../policy/suggest.js';
import type { CliArgs } from './args.js';
import { exitCodeFor, progress } from './exit.js';
import { lazy } from './lazy.js';
import type { LoadedModule, ModuleExport } from './load.js';
import { reporterFor, type Io, type RunSettings } from './settings.js';

/** The functions a check needs, loaded once the run starts (not for --help or a usage error). */
async function loadParts() {
  const { expandPaths } = await lazy<typeof import('./files.js')>('./files.js');
  const { check } = await lazy<typeof import('../check/index.js')>('../check/index.js');
  const { LoadError, loadModule } = await lazy<typeof import('./load.js')>('./load.js');
  const { samplesOf, settleExport } = await lazy<typeof import('./exports.js')>('./exports.js');
  const { locateExports } = await lazy<typeof import('./locate.js')>('./locate.js');
  const { viewOf } = await lazy<typeof import('../report/subject.js')>('../report/subject.js');
  const { addToTotals, emptyTotals } = await lazy<typeof import('../report/totals.js')>('../report/totals.js');
  return { expandPaths, check, LoadError, loadModule, samplesOf, settleExport, locateExports, viewOf, addToTotals, emptyTotals };
}

type Parts = Awaited<ReturnType<typeof loadParts>>;

/** What a check run keeps as it goes from file to file. */
interface CheckRun {
  readonly args: CliArgs;
  readonly settings: RunSettings;
  readonly io: Io;
  readonly cwd: string;
  readonly parts: Parts;
  readonly checkOptions: CheckOptions;
  /** The `--export` names asked for, those found in some module, and every export name seen. */
  readonly wanted: ReadonlySet<string>;
  readonly found: Set<string>;
  readonly exportNames: Set<string>;
  /** Every module loaded so far: a function found in a value is named by the module exporting it. */
  readonly loadedModules: LoadedModule[];
  sends: number;
  disagreements: number;
  /** Subjects that fail the run although no finding does (a verification, findings not collected). */
  otherFailures: number;
}

/** Strips a leading `file: ` from a load error, which the report already shows in its place. */
function withoutFile(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

export async function runCheck(args: CliArgs, settings: RunSettings, io: Io): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const parts = await loadParts();
  const reporter = await reporterFor(args, settings, io);
  const run: CheckRun = {
    args,
    settings,
    io,
    cwd,
    parts,
    checkOptions: {
      channels: settings.channels,
      root: 'message',
      maxFindings: settings.collect,
      ...(settings.target !== undefined ? { target: settings.target } : {}),
      ...(settings.ignore.length > 0 ? { ignore: settings.ignore } : {}),
    },
    wanted: new Set(args.exports),
    found: new Set(),
    exportNames: new Set(),
    loadedModules: [],
    sends: 0,
    disagreements: 0,
    otherFailures: 0,
  };

  const expanded = parts.expandPaths(args.paths, cwd);
  // Every path in its place: the files found, and what names nothing.
  const order: ({ file: string } | { file: string; error: string })[] = [...expanded.files.map((file) => ({ file }))];
  for (const m of [...expanded.missing].reverse()) order.splice(m.index, 0, { file: m.file, error: m.error });

  let totals = parts.emptyTotals();
  const errorsOf = (extra: number): number => totals.unloadable + totals.errors + extra;
  await io.out(reporter.start());
  for (const item of order) {
    progress.file = item.file;
    const report: FileReport = 'error' in item ? { file: item.file, subjects: [], error: withoutFile(item.error, item.file) } : await checkFile(run, item.file);
    const views = report.subjects.map((s) => parts.viewOf(s, settings));
    totals = parts.addToTotals(totals, report, views);
    progress.exitCode = exitCodeFor({ errors: errorsOf(0), failing: totals.failing + run.otherFailures, disagreements: run.disagreements });
    await io.out(reporter.file(report, views));
  }

  const problems = missingExports(run);
  for (const p of problems) io.err(`clonecheck: ${p}\n`);
  const exitCode = exitCodeFor({ errors: errorsOf(problems.length), failing: totals.failing + run.otherFailures, disagreements: run.disagreements });
  progress.exitCode = exitCode;
  const verified = args.verify ? { sends: run.sends, disagreements: run.disagreements } : undefined;
  await io.out(reporter.end({ totals, exitCode, complete: errorsOf(problems.length) === 0, verified, problems }));
  return exitCode;
}

/**
 * One line per name that `--export` or `--args` gave and no module exports, with the near miss:
 * `--export: no module exports "jobs" (did you mean "job"?); the exports are job, queue`; and one
 * per `--args` name that exists but that `--export` does not select.
 */
function missingExports(run: CheckRun): string[] {
  const known = [...run.exportNames];
  const tail = known.length > 0 ? `; the exports are ${known.join(', ')}` : '';
  const problems: string[] = [];
  const report = (flag: string, names: Iterable<string>, has: (name: string) => boolean): void => {
    for (const name of names) if (!has(name)) problems.push(`${flag}: no module exports ${JSON.stringify(name)}${didYouMean(name, known)}${tail}`);
  };
  report('--export', run.wanted, (name) => run.found.has(name));
  // Arguments for an export that is not there would otherwise be dropped without a word.
  report('--args', run.args.args.keys(), (name) => run.exportNames.has(name));
  // So would arguments for an export that --export leaves out.
  if (run.wanted.size > 0) {
    const selected = [...run.wanted].join(',');
    for (const name of run.args.args.keys()) {
      if (run.exportNames.has(name) && !run.wanted.has(name)) {
        problems.push(`--args: ${JSON.stringify(name)} is not checked, --export selects only ${selected}; add it: --export ${selected},${name}`);
      }
    }
  }
  return problems;
}

async function checkFile(run: CheckRun, file: string): Promise<FileReport> {
  const { parts, wanted } = run;
  let module: LoadedModule;
  try {
    module = await parts.loadModule(file, { timeout: run.args.timeout, cwd: run.cwd });
  } catch (error) {
    if (!(error instanceof parts.LoadError)) throw error;
    return { file, subjects: [], error: withoutFile(error.message, file), ...(error.at !== undefined ? { errorAt: error.at } : {}) };
  }
  for (const e of module.exports) run.exportNames.add(e.name);
  run.loadedModules.push(module);
  const selected = wanted.size === 0 ? module.exports : module.exports.filter((e) => wanted.has(e.name));
  for (const e of selected) run.found.add(e.name);
  if (module.exports.length === 0) return { file, subjects: [], note: 'nothing to check: it has no exports' };
  if (selected.length === 0)
    return { file, subjects: [], note: `nothing to check: it has no export named ${[...wanted].map((n) => JSON.stringify(n)).join(' or ')}` };
  const locations = parts.locateExports(
    module.path,
    selected.map((e) => e.name),
  );
  // In the order of the source where it is known (default first otherwise, then by name).
  const lineOf = (name: string): number => locations.get(name)?.line ?? Infinity;
  const inOrder = [...selected].sort((a, b) => lineOf(a.name) - lineOf(b.name));
  const samples = parts.samplesOf(module);
  const subjects: ReportSubject[] = [];
  for (const exp of inOrder) {
    const where = locations.get(exp.name);
    const base: ReportSubject = {
      kind: 'export',
      name: exp.name,
      file,
      ...(where ? { line: where.line, column: where.column } : {}),
      channels: run.settings.channels,
      findings: [],
      ignored: [],
    };
    subjects.push(await checkExport(run, exp, samples, base));
  }
  return { file, subjects };
}

/** One export as a subject: settled, checked, with --verify sent for real. */
async function checkExport(run: CheckRun, exp: ModuleExport, samples: ReadonlyMap<string, readonly unknown[]>, base: ReportSubject): Promise<ReportSubject> {
  const { args, parts, settings } = run;
  const settled = await parts.settleExport(exp, samples, {
    call: args.call,
    args: args.args,
    await: args.await,
    timeout: args.timeout,
    cwd: run.cwd,
    named: args.exports.includes(exp.name),
  });
  if (settled.kind === 'note') return { ...base, note: settled.note };
  if (settled.kind === 'error') return { ...base, error: settled.error, ...(settled.obtained !== undefined ? { obtained: settled.obtained } : {}) };

  const result: CheckResult = parts.check(settled.value, { ...run.checkOptions, origins: { modules: run.loadedModules, cwd: run.cwd } });
  const label = `export ${settled.obtained ?? exp.name} (${base.file})`;
  if (result.internalError !== undefined) run.io.err(`clonecheck: internal error while checking ${label}, please report it: ${String(result.internalError)}\n`);
  let failsOtherwise = result.internalError !== undefined;
  const extra: string[] = [];
  let data: Record<string, unknown> | undefined;
  if (args.verify) {
    const verification = await verifyValue(run, settled.value, result, label);
    extra.push(...verification.lines);
    data = { verify: verification.data };
  }
  if (result.truncated && !failsOtherwise) {
    // Past the collected findings the checker still says how serious they were, per channel: do not
    // let a value pass because its worst finding came after the limit, nor fail one whose findings
    // past it only reshape (a long list of frozen objects). An effect list (the older fail level)
    // can only go by `lossless`.
    const level = settings.failLevel;
    const failsPast =
      typeof level === 'string'
        ? level !== 'none' && settings.channels.some((ch) => result.uncollected?.[ch] !== undefined && atLeast(result.uncollected[ch]!, level))
        : settings.channels.some((ch) => result.lossless[ch] === false);
    const collectedFail = parts.viewOf({ ...base, findings: result.findings }, settings).failing > 0;
    if (failsPast && !collectedFail) {
      failsOtherwise = true;
      extra.push(`findings past the first ${result.findings.length} were not collected and may fail the run; --max-findings 0 collects them all`);
    }
  }
  if (failsOtherwise) run.otherFailures++;
  return {
    ...base,
    findings: result.findings,
    ignored: result.ignored,
    ...(settled.obtained !== undefined ? { obtained: settled.obtained } : {}),
    ...(result.truncated ? { truncated: true } : {}),
    ...(extra.length > 0 ? { extra } : {}),
    ...(data ? { data } : {}),
    ...(failsOtherwise ? { failsOtherwise } : {}),
  };
}

/** `--verify`: the value sent through the real channels, and what disagrees with the prediction. */
async function verifyValue(run: CheckRun, value: unknown, result: CheckResult, label: string): Promise<{ lines: string[]; data: unknown }> {
  const verify = await lazy<typeof import('./verify.js')>('./verify.js');
  verify.state.verifying = label;
  const verification = await verify.verifyExport(value, result);
  verify.state.verifying = undefined;
  run.disagreements += verification.reduce((n, v) => n + v.disagreements.length, 0);
  run.sends += verification.length;
  return { lines: verify.renderVerification(verification), data: verification };
}
