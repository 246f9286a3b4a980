/**
 * `clonecheck scan [paths..]`: the scanner's send sites, one report per file that has any, in the
 * scanner's order, rendered by the same reporters as a check.
 */
import type { FileReport, ReportSubject } from '../report/subject.js';
import { ALL_CHANNELS } from '../types.js';
import type { CliArgs } from './args.js';
import { EXIT, exitCodeFor, progress } from './exit.js';
import { lazy } from './lazy.js';
import { reporterFor, type Io, type RunSettings } from './settings.js';

export async function runScan(args: CliArgs, settings: RunSettings, io: Io): Promise<number> {
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
  const { addToTotals, emptyTotals } = await lazy<typeof import('../report/totals.js')>('../report/totals.js');
  // The summary names the channels the sites cross (a `v8.serialize()` site crosses v8 only), unless
  // the user narrowed them.
  const crossed = ALL_CHANNELS.filter((c) => result.subjects.some((s) => s.channels.includes(c)));
  const channels = settings.channelsGiven || crossed.length === 0 ? settings.channels : crossed;
  const reporter = await reporterFor(args, { ...settings, channels }, io);
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
    progress.exitCode = exitCodeFor({ errors: totals.unloadable + totals.errors, failing: totals.failing });
    await io.out(reporter.file(report, views));
  }
  const errors = totals.unloadable + totals.errors;
  const exitCode = exitCodeFor({ errors, failing: totals.failing });
  progress.exitCode = exitCode;
  await io.out(reporter.end({ totals: { ...totals, files: result.files.length }, exitCode, complete: errors === 0 }));
  return exitCode;
}
