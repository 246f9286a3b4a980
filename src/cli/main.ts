/**
 * The command, from arguments to exit code: usage errors here, then a check of modules
 * (check-run.ts) or a scan of send sites (scan-run.ts).
 */
import { parseCommandLine, helpText, UsageError, type CliArgs } from './args.js';
import { EXIT, progress } from './exit.js';
import { lazy } from './lazy.js';
import { settingsFor, type Io, type RunSettings } from './settings.js';
import { packageJson } from '../report/meta.js';

/**
 * Runs the command. Writes the report to `out` as it goes, one line per problem to `err`, and
 * resolves with the exit code. Never throws for bad input.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  progress.exitCode = EXIT.ok;
  progress.file = undefined;
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
  if (args.command === 'scan') return (await lazy<typeof import('./scan-run.js')>('./scan-run.js')).runScan(args, settings, io);
  return (await lazy<typeof import('./check-run.js')>('./check-run.js')).runCheck(args, settings, io);
}
