/**
 * The command line's options: one table, read by `node:util`'s parseArgs on every run (it costs
 * nothing to load), and by yargs only to print `--help`. Every message is the tool's own.
 */
import { parseArgs } from 'node:util';
import { docsLink } from '../report/meta.js';
import { orList } from '../policy/settings.js';
import { closest } from '../policy/suggest.js';
import { SEVERITIES } from '../findings/severity.js';
import { ALL_CHANNELS, CHANNELS, TARGETS, type Channel, type Target } from '../types.js';
import type { FailLevel } from '../report/subject.js';

/** Entries shown per subject when --max-findings is not given. */
export const DEFAULT_MAX_ENTRIES = 100;

/** The formats of the report (`--format`): one reporter each, in report/. */
export const FORMATS = ['human', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

/** Bad command line input: reported as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly arg?: string;
  readonly describe: string;
  /** What it means for `clonecheck scan`, where that differs. */
  readonly describeScan?: string;
  /** Only for `clonecheck <files>`, or only for `clonecheck scan`. */
  readonly only?: 'check' | 'scan';
}

export const OPTIONS = {
  export: {
    type: 'string',
    short: 'e',
    multiple: true,
    arg: 'name',
    only: 'check',
    describe: 'Check only this export ("default" for the default export); repeatable or comma-separated',
  },
  channel: {
    type: 'string',
    short: 'c',
    multiple: true,
    arg: 'id',
    describe: `Channels: ${ALL_CHANNELS.join(', ')}; repeatable or comma-separated [default: ${CHANNELS.join(', ')}]`,
    describeScan: `Narrow each send site to these channels: ${ALL_CHANNELS.join(', ')}; repeatable or comma-separated [default: the channels each send crosses]`,
  },
  target: { type: 'string', arg: 'line', describe: `Apply the rules of this Node.js line: ${TARGETS.join(', ')} [default: the running one]` },
  'fail-on': {
    type: 'string',
    arg: 'severity',
    describe: 'Fail the run on findings of this severity or worse: throw, loss, reshape, note, or none [default: loss]',
  },
  strict: { type: 'boolean', describe: 'Fail on reshapes too (the same as --fail-on reshape)' },
  ignore: {
    type: 'string',
    multiple: true,
    arg: 'entry',
    describe: "Set findings aside: a code (DATE_BECOMES_STRING), a path pattern ('$.meta.**') or class:Name; repeatable",
  },
  call: {
    type: 'boolean',
    only: 'check',
    describe:
      'Call exported functions and construct exported classes whose arguments are known (--args, an exported samples object, or no parameters) and check what they return',
  },
  args: {
    type: 'string',
    multiple: true,
    arg: 'name=json',
    only: 'check',
    describe: 'Call this export with these arguments, a JSON array: --args makeJob=\'[{"id":1}]\'; repeatable',
  },
  await: { type: 'boolean', only: 'check', describe: 'Await exported Promises and check what they resolve to' },
  verify: {
    type: 'boolean',
    only: 'check',
    describe: 'Also send each value through a real Worker and real forked children, and report where reality disagrees',
  },
  format: {
    type: 'string',
    short: 'f',
    arg: 'format',
    describe: 'human, json (one document), sarif (SARIF 2.1.0) or github (workflow annotations) [default: human]',
  },
  'max-findings': {
    type: 'string',
    arg: 'n',
    describe: `Entries shown per export, in every format; 0 shows all [default: ${DEFAULT_MAX_ENTRIES}]`,
    describeScan: `Entries shown per send site, in every format; 0 shows all [default: ${DEFAULT_MAX_ENTRIES}]`,
  },
  timeout: { type: 'string', arg: 'ms', only: 'check', describe: 'Milliseconds that loading a module, a call or a Promise may take [default: 10000]' },
  color: { type: 'boolean', describe: 'Colour on or off (--no-color) [default: on a terminal]' },
  help: { type: 'boolean', short: 'h', describe: 'Show this help' },
  version: { type: 'boolean', short: 'v', describe: 'Show the version' },
} as const satisfies Record<string, OptionSpec>;

type OptionName = keyof typeof OPTIONS;
const NAMES = Object.keys(OPTIONS) as OptionName[];
const NEGATABLE = new Set<string>(NAMES.filter((n) => OPTIONS[n].type === 'boolean' && n !== 'help' && n !== 'version'));

export interface CliArgs {
  readonly command: 'check' | 'scan';
  readonly paths: string[];
  readonly help: boolean;
  readonly version: boolean;
  readonly exports: string[];
  /** Undefined when not given (then the config file's, then the default). */
  readonly channels: Channel[] | undefined;
  readonly target: Target | undefined;
  readonly failLevel: FailLevel | undefined;
  readonly ignore: string[];
  readonly call: boolean;
  readonly args: Map<string, unknown[]>;
  readonly await: boolean;
  readonly verify: boolean;
  readonly format: Format;
  /** Entries per subject; Infinity for all. */
  readonly maxEntries: number;
  readonly timeout: number;
  readonly color: boolean | undefined;
}

function splitList(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function quoted(text: string): string {
  return JSON.stringify(text);
}

function suggestion(word: string, candidates: readonly string[], prefix = ''): string {
  const near = closest(word, candidates);
  return near === undefined ? '' : ` (did you mean ${prefix}${near}?)`;
}

/** `--channel` values: every channel id, repeated or comma-separated, in the report's order. */
export function parseChannels(values: readonly string[]): Channel[] {
  const words = splitList(values);
  if (words.length === 0) throw new UsageError('--channel needs a channel id');
  for (const w of words) {
    if (!(ALL_CHANNELS as readonly string[]).includes(w))
      throw new UsageError(`--channel: unknown channel ${quoted(w)}${suggestion(w, ALL_CHANNELS)}; use ${orList(ALL_CHANNELS)}`);
  }
  return ALL_CHANNELS.filter((c) => words.includes(c));
}

/** `--fail-on`: one severity, or `none`. */
export function parseFailLevel(value: string): FailLevel {
  const word = value.trim();
  const levels = [...SEVERITIES, 'none'];
  if ((levels as string[]).includes(word)) return word as FailLevel;
  if (word.includes(','))
    throw new UsageError(`--fail-on takes one severity, not a list: findings of that severity or worse fail the run; use ${orList(levels)}`);
  const old: Record<string, string> = { throws: 'throw', dropped: 'loss', changed: 'reshape' };
  const hint = old[word] !== undefined ? ` (did you mean ${old[word]}?)` : suggestion(word, levels);
  throw new UsageError(`--fail-on: unknown severity ${quoted(word)}${hint}; use ${orList(levels)}`);
}

/** `--args name=JSON`: a JSON array is the argument list, any other JSON value one argument. */
export function parseCallArgs(values: readonly string[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const v of values) {
    const eq = v.indexOf('=');
    const name = eq === -1 ? v.trim() : v.slice(0, eq).trim();
    if (name === '') throw new UsageError(`--args needs an export name: --args makeJob='[{"id":1}]'`);
    if (eq === -1) {
      out.set(name, []);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(v.slice(eq + 1));
    } catch (error) {
      throw new UsageError(
        `--args ${name}: not JSON (${(error as Error).message}); write the arguments as a JSON array, in single quotes: --args ${name}='[1, "two"]'`,
      );
    }
    out.set(name, Array.isArray(parsed) ? parsed : [parsed]);
  }
  return out;
}

function positiveInteger(name: string, value: string, allowZero: boolean): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || (n === 0 && !allowZero))
    throw new UsageError(`--${name} needs a ${allowZero ? 'whole number (0 for no limit)' : 'positive whole number'}, not ${quoted(value)}`);
  return n;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** `--no-<flag>`: parseArgs on Node 20 has no negation of its own. */
function takeNegations(argv: readonly string[]): { args: string[]; negated: Set<string> } {
  const negated = new Set<string>();
  const args: string[] = [];
  let rest = false;
  for (const a of argv) {
    if (!rest && a === '--') rest = true;
    const no = !rest && /^--no-([a-z-]+)$/.exec(a);
    if (no && NEGATABLE.has(no[1]!)) negated.add(no[1]!);
    else args.push(a);
  }
  return { args, negated };
}

/** Unknown options, a value missing or given to a flag that takes none. */
function checkTokens(tokens: readonly Token[]): void {
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spelled = t.rawName;
    if (!(NAMES as string[]).includes(t.name)) {
      const near = t.rawName.startsWith('--') ? closest(t.name, NAMES) : undefined;
      throw new UsageError(`unknown option ${spelled}${near !== undefined ? ` (did you mean --${near}?)` : ''}`);
    }
    const spec: OptionSpec = OPTIONS[t.name as OptionName];
    if (spec.type === 'string' && t.value === undefined) throw new UsageError(`${spelled} needs a value${spec.arg ? ` (${spec.arg})` : ''}`);
    if (spec.type === 'boolean' && t.inlineValue) throw new UsageError(`${spelled} takes no value`);
  }
}

/** An option of `clonecheck <files>` given to `clonecheck scan`, or the other way round. */
function checkCommandOptions(tokens: readonly Token[], command: CliArgs['command']): void {
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec: OptionSpec = OPTIONS[t.name as OptionName];
    if (spec.only !== undefined && spec.only !== command)
      throw new UsageError(
        `${t.rawName} is for ${spec.only === 'check' ? 'checking modules (clonecheck <files>)' : 'clonecheck scan'}, not for ${command === 'scan' ? 'clonecheck scan' : 'checking modules'}`,
      );
  }
}

/** The values parseArgs read, by kind. */
interface Values {
  readonly str: (n: OptionName) => string | undefined;
  readonly list: (n: OptionName) => string[] | undefined;
  readonly flag: (n: OptionName) => boolean;
}

function readValues(values: Record<string, string | boolean | (string | boolean)[] | undefined>, negated: ReadonlySet<string>): Values {
  return {
    str: (n) => {
      const x = values[n];
      return Array.isArray(x) ? String(x.at(-1)) : typeof x === 'string' ? x : undefined;
    },
    list: (n) => {
      const x = values[n];
      return x === undefined ? undefined : (Array.isArray(x) ? x : [x]).map(String);
    },
    flag: (n) => !negated.has(n) && values[n] === true,
  };
}

/** `--fail-on` and `--strict`, which say the same thing two ways. */
function readFailLevel(v: Values): FailLevel | undefined {
  const failOn = v.str('fail-on');
  const strict = v.flag('strict');
  if (strict && failOn !== undefined && failOn.trim() !== 'reshape') throw new UsageError(`--strict is --fail-on reshape; give one or the other`);
  return failOn !== undefined ? parseFailLevel(failOn) : strict ? 'reshape' : undefined;
}

/**
 * Reads the command line. `clonecheck [paths..]` checks modules; `clonecheck scan [paths..]` finds
 * the sends in a project's code. Throws `UsageError` with a one-line message.
 */
export function parseCommandLine(argv: readonly string[]): CliArgs {
  const { args, negated } = takeNegations(argv);
  const {
    values,
    positionals,
    tokens = [],
  } = parseArgs({
    args,
    options: Object.fromEntries(
      NAMES.map((n) => {
        const spec: OptionSpec = OPTIONS[n];
        return [n, { type: spec.type, multiple: spec.multiple === true, ...(spec.short !== undefined ? { short: spec.short } : {}) }];
      }),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  checkTokens(tokens);
  const v = readValues(values as Record<string, string | boolean | (string | boolean)[] | undefined>, negated);

  let paths = [...positionals];
  let command: CliArgs['command'] = 'check';
  if (paths[0] === 'scan') {
    command = 'scan';
    paths = paths.slice(1);
  }
  checkCommandOptions(tokens, command);

  const format = v.str('format') ?? 'human';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format: unknown format ${quoted(format)}${suggestion(format, FORMATS)}; use ${orList(FORMATS)}`);
  const channelValues = v.list('channel');
  const target = v.str('target');
  if (target !== undefined && !(TARGETS as readonly string[]).includes(target))
    throw new UsageError(`--target: unknown target ${quoted(target)}${suggestion(target, TARGETS)}; use ${orList(TARGETS)}`);
  const failLevel = readFailLevel(v);
  const exportValues = v.list('export');
  const exportNames = splitList(exportValues ?? []);
  if (exportValues !== undefined && exportNames.length === 0) throw new UsageError('--export needs a name');
  const maxText = v.str('max-findings');
  const max = maxText === undefined ? DEFAULT_MAX_ENTRIES : positiveInteger('max-findings', maxText, true);
  const timeoutText = v.str('timeout');

  return {
    command,
    paths,
    help: v.flag('help'),
    version: v.flag('version'),
    exports: exportNames,
    channels: channelValues === undefined ? undefined : parseChannels(channelValues),
    target: target as Target | undefined,
    failLevel,
    ignore: v.list('ignore') ?? [],
    call: v.flag('call'),
    args: parseCallArgs(v.list('args') ?? []),
    await: v.flag('await'),
    verify: v.flag('verify'),
    format: format as Format,
    maxEntries: max === 0 ? Infinity : max,
    timeout: timeoutText === undefined ? 10_000 : positiveInteger('timeout', timeoutText, false),
    color: negated.has('color') ? false : values['color'] === true ? true : undefined,
  };
}

const PATHS = `Paths may be files, directories (every module in them) or globs, quoted so that the shell leaves them alone ('src/**/*.ts'); node_modules is never entered.`;

const RUNS_CODE = `clonecheck runs each module (and with --call or --args, the exported functions it calls), as node would: run it only on code you trust. With --verify, each value is also really sent, which runs its getters and toJSON().`;

const READS_CODE = `clonecheck scan reads the code with the TypeScript compiler (the typescript package, from the project or clonecheck's own) and never runs it.`;

const SETTINGS = `Severities: throw (the send throws) > loss (data the receiver does not get) > reshape (the same data in another form) > note. By default throw and loss fail the run.

Settings also come from clonecheck.config.json or a "clonecheck" key in package.json (channels, target, failOn, ignore); flags win.`;

const EXIT_CODES = {
  check: `Exit codes (the worst outcome of the run):
  0  nothing fails the run
  1  findings that fail the run, or --verify disagrees with the prediction
  2  a file not loaded, an export not checked (a call that threw), or a usage error`,
  scan: `Exit codes (the worst outcome of the run):
  0  nothing fails the run
  1  findings that fail the run
  2  a send site that could not be judged, or a usage error`,
} as const;

const COLOUR = `Colour is used on a terminal; NO_COLOR turns it off, FORCE_COLOR on.`;

/** `--help`, laid out by yargs from the same table (loaded only now). */
export async function helpText(command: CliArgs['command'], columns: number | undefined): Promise<string> {
  const { default: yargs } = await import('yargs');
  const y = yargs([])
    .scriptName('clonecheck')
    .help(false)
    .version(false)
    .wrap(Math.min(110, columns || 100));
  if (command === 'scan') {
    y.usage(
      "$0 scan [paths..] [options]\n\nFinds the places in a project's code that send a value to a Worker or a forked child (postMessage, new Worker(..., { workerData }), child.send, process.send, ...) and checks the type of what each one sends.",
    );
    y.example('$0 scan src', 'Every send in src/');
    y.example("$0 scan 'src/**/*.ts' --format sarif > clonecheck.sarif", 'For code scanning');
  } else {
    y.usage(
      "$0 <paths..> [options]\n$0 scan [paths..] [options]\n\nChecks what each data export of a module would look like after a trip to a Worker (worker: structured clone), a forked child (fork: JSON IPC) or a forked child with serialization: 'advanced' (fork-advanced: V8), path by path. Loads .ts, .mts, .cts, .tsx, .js, .mjs and .cjs.\n\nTry it on the example that ships with it: $0 node_modules/clonecheck/examples/job.mjs",
    );
    y.example('$0 src/jobs.ts', 'What each export loses on each channel');
    y.example("$0 'src/**/*.ts' --format github", 'Every module, as pull request annotations');
    y.example('$0 src/jobs.ts -e job -c worker', 'One export, one channel');
    y.example('$0 src/jobs.ts --fail-on throw', 'Fail only where a send would throw');
    y.example("$0 src/jobs.ts --args makeJob='[7]'", 'Check what makeJob(7) returns');
    y.example('$0 src/factories.ts --call', 'Call the factories whose arguments are known');
    y.example('$0 src/jobs.ts --format json > report.json', 'The report as data');
    y.example('$0 src/jobs.ts --verify', 'Prove the report with real sends');
  }
  for (const name of NAMES) {
    const spec: OptionSpec = OPTIONS[name];
    if (spec.only !== undefined && spec.only !== command) continue;
    y.option(name, {
      type: spec.type,
      describe: command === 'scan' ? (spec.describeScan ?? spec.describe) : spec.describe,
      ...(spec.short ? { alias: spec.short } : {}),
      ...(spec.arg ? { requiresArg: true, nargs: 1 } : {}),
    });
  }
  const docs = docsLink(command === 'scan' ? 'docs/scan.md' : 'docs/cli.md');
  y.epilog(`${PATHS}\n\n${command === 'scan' ? READS_CODE : RUNS_CODE}\n\n${SETTINGS}\n\n${EXIT_CODES[command]}\n\n${COLOUR}\n\nDocs: ${docs}`);
  return y.getHelp();
}
