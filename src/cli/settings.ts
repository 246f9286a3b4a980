/**
 * The settings of a run (flags, then the config file, then the defaults), the streams it writes
 * to, and the reporter of the format it asked for.
 */
import { DEFAULT_TARGET, type Channel, type Target } from '../types.js';
import type { Reporter, ReportRun } from '../report/reporter.js';
import type { FailLevel } from '../report/subject.js';
import type { CliArgs, Format } from './args.js';
import { lazy } from './lazy.js';

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

/** How many findings a check collects at most, for a given number of entries shown. */
export function collectLimit(maxEntries: number): number {
  return maxEntries === Infinity ? Infinity : Math.max(100_000, maxEntries * 10);
}

/** The settings of a run. A bad `--ignore` entry or config file throws (a usage error). */
export async function settingsFor(args: CliArgs, io: Io): Promise<RunSettings> {
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

/** What the reporter is told about the run; `options` is what the JSON document lists. */
export function reportRunOf(args: CliArgs, settings: RunSettings, io: Io): ReportRun {
  return {
    command: args.command,
    channels: settings.channels,
    failLevel: settings.failLevel,
    maxEntries: settings.maxEntries,
    color: settings.color,
    cwd: io.cwd ?? process.cwd(),
    options: {
      channels: settings.channels,
      target: settings.target ?? DEFAULT_TARGET,
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
}

/** The reporter of the format asked for; only that format's module is loaded. */
export async function reporterFor(args: CliArgs, settings: RunSettings, io: Io): Promise<Reporter> {
  const run = reportRunOf(args, settings, io);
  switch (settings.format) {
    case 'human':
      return (await lazy<typeof import('../report/human.js')>('../report/human.js')).humanReporter(run);
    case 'json':
      return (await lazy<typeof import('../report/json.js')>('../report/json.js')).jsonReporter(run);
    case 'sarif':
      return (await lazy<typeof import('../report/sarif.js')>('../report/sarif.js')).sarifReporter(run);
    case 'github':
      return (await lazy<typeof import('../report/github.js')>('../report/github.js')).githubReporter(run);
  }
}
