/**
 * End to end: spawns the real bin/clonecheck.js (which runs the built dist/; `npm test` builds
 * first) on the modules in fixtures/, and checks stdout, stderr, the JSON, SARIF and GitHub outputs
 * and the exit code. Counts are taken from check() itself, so that a rule's wording can change
 * without breaking these tests, while the layout and the glue cannot.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { parseCallArgs, parseChannels, parseCommandLine, parseFailLevel } from '../src/cli/args.js';
import { collectLimit, EXIT, exitCodeFor, shouldColor } from '../src/cli/index.js';
import { chooseLoader } from '../src/cli/load.js';
import { FINDING_CODES } from '../src/findings/codes.js';
import type { Target } from '../src/types.js';
import { job } from '../fixtures/job-payload.js';
// @ts-expect-error: the plain .mjs installer, without types
import { ensure } from '../scripts/runtimes.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'clonecheck.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ESC = '\u001b[';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The environment of a run: no colour settings, no tsx settings, unless a test gives them. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['FORCE_COLOR', 'NO_COLOR', 'TSX_TSCONFIG_PATH', 'NODE_OPTIONS', 'CLONECHECK_FIXTURE_QUEUE_URL']) delete env[key];
  return { ...env, ...extra };
}

interface SpawnOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Flags for node, before the bin. */
  readonly node?: readonly string[];
  /** Another node binary (a Node.js line from scripts/runtimes.mjs). */
  readonly execPath?: string;
  /** Another copy of the bin (the built package alone). */
  readonly bin?: string;
  /** Close our end of stdout after the first chunk, as `| head -c 100` does. */
  readonly closeStdoutEarly?: boolean;
}

function clonecheck(args: readonly string[], options: SpawnOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const child = spawn(options.execPath ?? process.execPath, [...(options.node ?? []), options.bin ?? BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: baseEnv(options.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (options.closeStdoutEarly) child.stdout.destroy();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - start }));
  });
}

interface JsonEntry {
  code: string;
  severity: string;
  effect: string;
  channels: string[];
  at: string;
  path: unknown[];
  count: number;
  paths?: string[];
  message: string;
  hint?: string;
  failing: boolean;
}
interface JsonSubject {
  kind: string;
  name: string;
  line?: number;
  column?: number;
  obtained?: string;
  note?: string;
  error?: string;
  channels: string[];
  lossless: Record<string, boolean>;
  counts: Record<string, number>;
  findings: number;
  failing: number;
  truncated: boolean;
  entries: JsonEntry[];
  omitted: number;
  ignored: { count: number; codes: Record<string, number> };
  verify?: { channel: string; outcome: string; agrees: boolean; disagreements: unknown[]; differences?: number; error?: string }[];
}
interface Report {
  version: number;
  tool: { name: string; version: string };
  node: string;
  command: string;
  options: Record<string, unknown>;
  files: { file: string; error?: string; note?: string; subjects: JsonSubject[] }[];
  summary: {
    files: number;
    unloadable: number;
    subjects: number;
    checked: number;
    errors: number;
    counts: Record<string, number>;
    findings: number;
    ignored: number;
    failing: number;
    truncated: number;
    disagreements: number | null;
    exitCode: number;
  };
}

function json(run: Run): Report {
  expect(run.stdout.trimStart().startsWith('{')).toBe(true);
  return JSON.parse(run.stdout) as Report;
}

const subjectOf = (report: Report, name: string): JsonSubject => report.files.flatMap((f) => f.subjects).find((s) => s.name === name)!;

/** A usage error: exit 2, nothing on stdout, one line on stderr and no stack trace. */
function expectOneLineError(run: Run, line: string | RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
  expect(run.stderr.endsWith('\n')).toBe(true);
  const lines = run.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const SEVERITY_RANK: Record<string, number> = { throw: 3, loss: 2, reshape: 1, note: 0 };
/** The entry lines of a human report (`    $.path  severity  channels  message (CODE)`). */
const entryLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^ {4}\$/.test(l));
const severityOfLine = (line: string): string => /^ {4}\S+(?: \.\.\. \S+)? +(throw|loss|reshape|note) /.exec(line)?.[1] ?? '?';

describe('pure parts', () => {
  it('exit code: the worst outcome: 2 for errors, else 1 for failures or disagreements, else 0', () => {
    expect(exitCodeFor({ errors: 0, failing: 0, disagreements: 0 })).toBe(0);
    expect(exitCodeFor({ errors: 0, failing: 3 })).toBe(1);
    expect(exitCodeFor({ errors: 0, failing: 0, disagreements: 1 })).toBe(1);
    expect(exitCodeFor({ errors: 1, failing: 3 })).toBe(2);
    expect(EXIT).toEqual({ ok: 0, failed: 1, error: 2 });
  });

  it('colour: the flag, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(shouldColor(undefined, tty, {})).toBe(true);
    expect(shouldColor(undefined, pipe, {})).toBe(false);
    expect(shouldColor(undefined, tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(undefined, tty, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor(undefined, tty, { TERM: 'dumb' })).toBe(false);
    expect(shouldColor(undefined, pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor(undefined, tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColor(false, tty, { FORCE_COLOR: '1' })).toBe(false);
    expect(shouldColor(true, pipe, { NO_COLOR: '1' })).toBe(true);
  });

  it("--channel, --fail-on and --args read as documented, with messages in the tool's voice", () => {
    expect(parseChannels(['fork,worker', 'v8'])).toEqual(['worker', 'fork', 'v8']);
    expect(() => parseChannels(['ipc'])).toThrow('--channel: unknown channel "ipc"; use worker, fork, fork-advanced, json or v8');
    expect(() => parseChannels(['forks'])).toThrow('(did you mean fork?)');
    expect(parseFailLevel('reshape')).toBe('reshape');
    expect(parseFailLevel('none')).toBe('none');
    expect(() => parseFailLevel('none,throws')).toThrow('--fail-on takes one severity, not a list');
    expect(() => parseFailLevel('throws')).toThrow('--fail-on: unknown severity "throws" (did you mean throw?); use throw, loss, reshape, note or none');
    expect(parseCallArgs(['makeJob=[{"id":1},2]', 'build=3', 'noArgs'])).toEqual(
      new Map<string, unknown[]>([
        ['makeJob', [{ id: 1 }, 2]],
        ['build', [3]],
        ['noArgs', []],
      ]),
    );
    expect(() => parseCallArgs(['makeJob=[1,'])).toThrow(/^--args makeJob: not JSON/);
  });

  it('reads the command line without yargs: flags, negations, the scan command', () => {
    const args = parseCommandLine([
      'a.ts',
      '--no-color',
      '-c',
      'worker',
      '--strict',
      '--ignore',
      'DATE_BECOMES_STRING',
      '--ignore=$.meta.**',
      '--max-findings',
      '0',
      '--target',
      'node22',
    ]);
    expect(args).toMatchObject({
      command: 'check',
      paths: ['a.ts'],
      color: false,
      channels: ['worker'],
      failLevel: 'reshape',
      ignore: ['DATE_BECOMES_STRING', '$.meta.**'],
      maxEntries: Infinity,
      target: 'node22',
    });
    expect(parseCommandLine(['scan', 'src'])).toMatchObject({ command: 'scan', paths: ['src'] });
    expect(() => parseCommandLine(['a.ts', '--bogus'])).toThrow(/^unknown option --bogus$/);
    expect(() => parseCommandLine(['a.ts', '--chanel', 'worker'])).toThrow('unknown option --chanel (did you mean --channel?)');
    expect(() => parseCommandLine(['a.ts', '--format'])).toThrow('--format needs a value (format)');
    expect(() => parseCommandLine(['a.ts', '--call=yes'])).toThrow('--call takes no value');
    expect(() => parseCommandLine(['a.ts', '--strict', '--fail-on', 'throw'])).toThrow('--strict is --fail-on reshape; give one or the other');
    expect(() => parseCommandLine(['scan', '--call'])).toThrow('--call is for checking modules (clonecheck <files>), not for clonecheck scan');
  });

  it('collects a bounded number of findings per export unless told to collect them all', () => {
    expect(collectLimit(100)).toBe(100_000);
    expect(collectLimit(50_000)).toBe(500_000);
    expect(collectLimit(Infinity)).toBe(Infinity);
  });
});

describe.concurrent('the report', { timeout: 60_000 }, () => {
  it('orders by severity then path, one line per finding across channels, each hint once, exit 1', async () => {
    const run = await clonecheck(['fixtures/job-payload.ts']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('fixtures/job-payload.ts');
    expect(lines[1]).toMatch(/^ {2}export job \(line \d+\): 2 throw, 5 loss$/);
    const entries = entryLines(run.stdout);
    const ranks = entries.map((l) => SEVERITY_RANK[severityOfLine(l)]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    // The function throws on two channels: one line names both.
    expect(entries[0]).toMatch(/^ {4}\$\.onDone +throw +worker, fork-advanced +.* \(FUNCTION_NOT_CLONEABLE\)$/);
    expect(entries.some((l) => /^ {4}\$\.customer +loss +worker, fork, fork-advanced +An instance of Customer .*\(PROTOTYPE_LOST\)$/.test(l))).toBe(true);
    const hints = lines.filter((l) => l.trimStart().startsWith('hint: '));
    expect(new Set(hints).size).toBe(hints.length);
    expect(lines).toContain('  export queue (line 30): lossless on worker, fork, fork-advanced');
    const findings = check(job).findings;
    expect(lines.at(-2)).toBe(
      `Checked 2 exports in 1 file on worker, fork, fork-advanced: ${findings.length} findings (2 throw, 5 loss); ${findings.length} fail the run (fail level: loss).`,
    );
    expect(run.stdout).not.toContain(ESC);
  });

  it('a module of functions and a class exits 0, each export skipped with a one-line note', async () => {
    const run = await clonecheck(['fixtures/builders.ts', '-e', 'Customer,buildJob,buildBatch,buildDefaults']);
    expect(run).toMatchObject({
      code: 0,
      stderr: '',
      stdout: [
        'fixtures/builders.ts',
        '  export Customer (line 6): skipped: a class, not data (--call checks an instance)',
        '  export buildJob (line 16): skipped: a function, not data (--call checks what it returns)',
        '  export buildBatch (line 21): skipped: a function, not data (--call checks what it returns)',
        '  export buildDefaults (line 25): skipped: a function, not data (--call checks what it returns)',
        '',
        'Checked 0 exports (4 skipped) in 1 file on worker, fork, fork-advanced: no findings.',
        '',
      ].join('\n'),
    });
  });

  it('past the 100,000 findings a check collects, what was not collected fails the run only if it would (frozen rows reshape; a Date after them is a loss)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-uncollected-'));
    try {
      writeFileSync(join(dir, 'frozen.mjs'), 'export const rows = Array.from({ length: 40000 }, (_, i) => Object.freeze({ id: i }));\n');
      writeFileSync(
        join(dir, 'lossy.mjs'),
        'export const rows = [...Array.from({ length: 40000 }, (_, i) => Object.freeze({ id: i })), { at: new Date(0) }];\n',
      );
      const [frozen, lossy] = await Promise.all([clonecheck(['frozen.mjs'], { cwd: dir }), clonecheck(['lossy.mjs'], { cwd: dir })]);
      expect(frozen.code, frozen.stdout).toBe(0);
      expect(lossy.code, lossy.stdout).toBe(1);
      expect(lossy.stdout).toMatch(/findings past the first [\d,]+ were not collected and may fail the run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a live object (an EventEmitter: a queue, a stream) is skipped with a note, and checked when named with --export', async () => {
    const [all, named] = await Promise.all([
      clonecheck(['fixtures/live-exports.mjs']),
      clonecheck(['fixtures/live-exports.mjs', '--export', 'queue', '--format', 'json']),
    ]);
    expect(all).toMatchObject({
      code: 0,
      stderr: '',
      stdout: [
        'fixtures/live-exports.mjs',
        '  export queue (line 14): skipped: a live object (TaskQueue, an EventEmitter), not data (--export queue checks it anyway)',
        '  export log (line 15): skipped: a live object (PassThrough, an EventEmitter), not data (--export log checks it anyway)',
        '  export settings (line 16): lossless on worker, fork, fork-advanced',
        '',
        'Checked 1 export (2 skipped) in 1 file on worker, fork, fork-advanced: no findings.',
        '',
      ].join('\n'),
    });
    expect(subjectOf(json(named), 'queue').entries.map((e) => e.code)).toContain('PROTOTYPE_LOST');
    expect(named.code).toBe(1);
  });

  it('--call uses the samples export and constructs classes; --args gives JSON arguments; a throwing call is reported for that export only', async () => {
    const [call, args] = await Promise.all([
      clonecheck(['fixtures/builders.ts', '--call', '--format', 'json']),
      clonecheck(['fixtures/builders.ts', '--args', 'buildBatch=[2]', '--args', 'buildJob={}', '-e', 'buildBatch,buildJob,buildDefaults']),
    ]);
    const report = json(call);
    expect(subjectOf(report, 'Customer')).toMatchObject({ obtained: 'new Customer(1, "ada@example.com")', counts: { loss: 3 } });
    expect(subjectOf(report, 'Customer').entries.map((e) => [e.code, e.channels])).toEqual([['PROTOTYPE_LOST', ['worker', 'fork', 'fork-advanced']]]);
    expect(subjectOf(report, 'buildJob')).toMatchObject({ obtained: 'buildJob({"id":7}, 2)' });
    expect(subjectOf(report, 'buildJob').entries.map((e) => `${e.code} ${e.at}`)).toEqual(['DATE_BECOMES_STRING $.queuedAt']);
    expect(subjectOf(report, 'buildDefaults')).toMatchObject({ obtained: 'buildDefaults()', findings: 0 });
    expect(subjectOf(report, 'buildBatch').note).toBe(
      "skipped: a function of 1 parameter; give its arguments with --args buildBatch='[...]' or in an exported samples object",
    );
    expect(subjectOf(report, 'samples').note).toBe('skipped: the arguments for --call');
    expect(call.code).toBe(1);

    expect(args.code).toBe(2);
    expect(args.stdout).toContain(
      '  export buildJob({}) (line 16): error: buildJob({}) threw: TypeError: buildJob needs a customer with an id (at fixtures/builders.ts:17:',
    );
    expect(args.stdout).toContain('  export buildBatch(2) (line 21): lossless on worker, fork, fork-advanced\n');
    expect(args.stdout).toContain('  export buildDefaults (line 25): skipped: a function, not data');
    expect(args.stdout).toMatch(/\nChecked 1 export \(1 skipped\) in 1 file on .*: no findings\. 1 export could not be checked\.\n$/);
  });

  it('a glob over three files of which one is broken reports all three, each in its place, exit 2', async () => {
    const run = await clonecheck(['fixtures/mixed/*']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').filter((l) => l.startsWith('fixtures/'))).toEqual([
      "fixtures/mixed/broken.mjs:2:31: syntax error: Unexpected token ','",
      'fixtures/mixed/orders.ts',
      'fixtures/mixed/settings.mjs',
    ]);
    expect(run.stdout).toContain('  export order (line 2): 1 loss\n');
    expect(run.stdout).toContain('  export settings (line 2): lossless on worker, fork, fork-advanced\n');
    expect(run.stdout).toMatch(/\nChecked 2 exports in 2 files on .*; 1 fails the run \(fail level: loss\)\. 1 file could not be loaded\.\n$/);
  });

  it('paths: directories walked without node_modules or declaration files, ** globs, missing files and loading errors in their place', async () => {
    const [dir, deep, mixed] = await Promise.all([
      clonecheck(['fixtures/project']),
      clonecheck(['fixtures/project/**/*.{ts,mjs}', '-f', 'json']),
      clonecheck([
        'fixtures/clean-message.ts',
        'fixtures/no-such-module.ts',
        'fixtures/bad/throws-on-import.ts',
        'fixtures/formats/no-exports.mjs',
        'fixtures/bad/settings.json',
        'fixtures/nothing-*.ts',
      ]),
    ]);
    expect(dir.stdout.split('\n').filter((l) => l.startsWith('fixtures/'))).toEqual(['fixtures/project/src/a.ts', 'fixtures/project/src/b.mjs']);
    expect(dir.code).toBe(1);
    expect(json(deep).files.map((f) => f.file)).toEqual(['fixtures/project/src/a.ts', 'fixtures/project/src/b.mjs']);
    expect(mixed.code).toBe(2);
    expect(mixed.stdout.split('\n').filter((l) => l.startsWith('fixtures/') || l.startsWith('  '))).toEqual([
      'fixtures/clean-message.ts',
      '  export message (line 2): lossless on worker, fork, fork-advanced',
      'fixtures/no-such-module.ts: error: no such file',
      'fixtures/bad/throws-on-import.ts: error: threw while loading: Error: QUEUE_URL is not set (at fixtures/bad/throws-on-import.ts:3:19)',
      'fixtures/formats/no-exports.mjs',
      '  nothing to check: it has no exports',
      'fixtures/bad/settings.json: error: clonecheck loads .ts, .mts, .cts, .tsx, .js, .mjs, .cjs files, not .json',
      'fixtures/nothing-*.ts: error: no file matches this pattern',
    ]);
    expect(mixed.stdout).toMatch(/ 4 files could not be loaded\.\n$/);
  });

  it('--max-findings bounds the entries of each export, the same in human and JSON output', async () => {
    const [human, asJson, all] = await Promise.all([
      clonecheck(['fixtures/job-payload.ts', '-e', 'job', '--max-findings', '2']),
      clonecheck(['fixtures/job-payload.ts', '-e', 'job', '--max-findings', '2', '-f', 'json']),
      clonecheck(['fixtures/job-payload.ts', '-e', 'job', '--max-findings', '0', '-f', 'json']),
    ]);
    const total = json(all).files[0]!.subjects[0]!.entries.length;
    expect(total).toBeGreaterThan(2);
    expect(entryLines(human.stdout)).toHaveLength(2);
    expect(human.stdout).toContain(`    ... and ${total - 2} more entries (--max-findings 2 shown; --max-findings 0 shows all)\n`);
    const subject = json(asJson).files[0]!.subjects[0]!;
    expect(subject.entries).toHaveLength(2);
    expect(subject.omitted).toBe(total - 2);
    expect(subject.entries).toEqual(json(all).files[0]!.subjects[0]!.entries.slice(0, 2));
  });

  it('collapses one rule over 10,000 elements into one entry with a count and the first paths, in human and JSON output', async () => {
    const [human, asJson] = await Promise.all([clonecheck(['fixtures/big-batch.ts']), clonecheck(['fixtures/big-batch.ts', '-f', 'json'])]);
    expect(human.stdout).toMatch(
      /\n {4}\$\[\*\]\.onProgress +throw +worker, fork-advanced +.*\(FUNCTION_NOT_CLONEABLE\)\n {6}10000 paths: \$\[0\]\.onProgress, \$\[1\]\.onProgress, \$\[2\]\.onProgress, \.\.\.\n {6}hint: /,
    );
    expect(human.stdout.split('\n').length).toBeLessThan(15);
    const entries = json(asJson).files[0]!.subjects[0]!.entries;
    expect(entries.map((e) => [e.code, e.at, e.count, e.paths, e.channels])).toEqual([
      ['FUNCTION_NOT_CLONEABLE', '$[*].onProgress', 10000, ['$[0].onProgress', '$[1].onProgress', '$[2].onProgress'], ['worker', 'fork-advanced']],
      ['FUNCTION_DROPPED', '$[*].onProgress', 10000, ['$[0].onProgress', '$[1].onProgress', '$[2].onProgress'], ['fork']],
    ]);
    // 88 MB before entries collapsed in JSON too.
    expect(asJson.stdout.length).toBeLessThan(20_000);
  });

  it('elides a path 5,000 steps long in the middle', async () => {
    const run = await clonecheck(['fixtures/huge/deep.mjs']);
    expect(run.code).toBe(1);
    const longest = Math.max(...run.stdout.split('\n').map((l) => l.length));
    expect(longest).toBeLessThan(400);
    expect(run.stdout).toMatch(/\$\.next\.next\S* \.\.\. \S*\.next\.onDone +throw /);
  });

  it('colours only on request: FORCE_COLOR, not with --no-color, never in JSON', async () => {
    const args = ['fixtures/cache.ts', '-e', 'cache'];
    const [forced, noFlag, jsonForced] = await Promise.all([
      clonecheck(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }),
      clonecheck([...args, '--no-color'], { env: { FORCE_COLOR: '1' } }),
      clonecheck([...args, '--format', 'json'], { env: { FORCE_COLOR: '1' } }),
    ]);
    expect(forced.stdout).toContain(`${ESC}35mloss`);
    expect(noFlag.stdout).not.toContain(ESC);
    expect(forced.stdout.replace(/\u001b\[\d+m/g, '')).toBe(noFlag.stdout);
    expect(jsonForced.stdout).not.toContain(ESC);
  });

  it('keeps stdout for the report: what the module prints goes to stderr', async () => {
    const run = await clonecheck(['fixtures/chatty.ts', '--format', 'json']);
    expect(json(run).summary).toMatchObject({ findings: 0, failing: 0, exitCode: 0 });
    expect(run.stderr).toBe('connecting to the queue...\nconnected\n');
    expect(run.code).toBe(0);
  });

  it('a 1,000,000-finding export finishes in bounded memory in every format', async () => {
    // 512 MB of heap: the unbounded report of old needed 1.9 GB for this export.
    const node = ['--max-old-space-size=512'];
    for (const format of ['human', 'json', 'sarif', 'github']) {
      // What the format costs for a value with no findings at all (SARIF's rule table): the huge
      // export may add a few kilobytes to it, not more.
      const [run, empty] = await Promise.all([
        clonecheck(['fixtures/huge/million.mjs', '-f', format], { node }),
        clonecheck(['fixtures/clean-message.ts', '-f', format]),
      ]);
      expect({ format, code: run.code, stderr: run.stderr }).toEqual({ format, code: 1, stderr: '' });
      expect(run.stdout.length).toBeLessThan(empty.stdout.length + 10_000);
      expect(run.stdout).toContain('$[*]');
      expect(run.ms).toBeLessThan(45_000);
    }
  }, 240_000);
});

describe.concurrent('module formats', { timeout: 30_000 }, () => {
  it('loads .tsx with the nearest tsconfig.json (JSX factory, paths), .mts, .mjs, .js, and JavaScript that imports TypeScript', async () => {
    const run = await clonecheck([
      'fixtures/formats/widget.tsx',
      'fixtures/formats/tool.mts',
      'fixtures/formats/plain.mjs',
      'fixtures/formats/plain.js',
      'fixtures/formats/bridge.mjs',
      '--format',
      'json',
    ]);
    const report = json(run);
    expect(report.files.map((f) => [f.file, f.subjects.map((s) => s.name)])).toEqual([
      ['fixtures/formats/widget.tsx', ['button']],
      ['fixtures/formats/tool.mts', ['tool']],
      ['fixtures/formats/plain.mjs', ['point']],
      ['fixtures/formats/plain.js', ['default']],
      ['fixtures/formats/bridge.mjs', ['badge']],
    ]);
    expect(subjectOf(report, 'badge').entries.map((e) => `${e.code} ${e.at}`)).toEqual([
      'FUNCTION_NOT_CLONEABLE $.props.onHover',
      'FUNCTION_DROPPED $.props.onHover',
    ]);
    // The element came from the fixture's own JSX factory, reached through the #ui/* path alias.
    expect(subjectOf(report, 'button').entries.map((e) => `${e.code} ${e.at} ${e.channels.join('+')}`)).toEqual([
      'FUNCTION_NOT_CLONEABLE $.props.onClick worker+fork-advanced',
      'FUNCTION_DROPPED $.props.onClick fork',
    ]);
    expect(subjectOf(report, 'point').entries.map((e) => `${e.code} ${e.at}`)).toEqual(['NUMBER_NOT_JSON $.y']);
    expect(subjectOf(report, 'tool').entries[0]).toMatchObject({
      code: 'SYMBOL_KEY_DROPPED',
      at: '$[Symbol(internal)]',
      path: [{ kind: 'symbol', description: 'internal' }],
    });
  });

  it('loads CommonJS: named exports when Node finds them, else module.exports as the default', async () => {
    const report = json(
      await clonecheck(['fixtures/formats/legacy.cjs', 'fixtures/formats/whole.cjs', 'fixtures/formats/config.cts', '--format', 'json', '-c', 'fork']),
    );
    expect(report.files.map((f) => f.subjects.map((s) => s.name).sort())).toEqual([['retryAt', 'settings'], ['default'], ['default', 'limits']]);
    expect(subjectOf(report, 'retryAt').entries.map((e) => `${e.code} ${e.at}`)).toEqual(['DATE_BECOMES_STRING $']);
  });

  it('chooses the loader lazily: Node for JavaScript, Node for TypeScript where it strips types and the tsconfig needs nothing more, tsx otherwise', () => {
    const plain = join(ROOT, 'tsconfig.json');
    const withPaths = join(ROOT, 'fixtures', 'formats', 'tsconfig.json');
    expect(chooseLoader('.mjs', false, {})).toBe('node');
    expect(chooseLoader('.cjs', withPaths, {})).toBe('node');
    expect(chooseLoader('.ts', false, {})).toBe('tsx');
    expect(chooseLoader('.ts', false, { typescript: 'strip' })).toBe('node');
    expect(chooseLoader('.mts', plain, { typescript: 'strip' })).toBe('node');
    expect(chooseLoader('.ts', withPaths, { typescript: 'strip' })).toBe('tsx');
    expect(chooseLoader('.tsx', false, { typescript: 'transform' })).toBe('tsx');
  });
});

describe('without the optional packages', { timeout: 60_000 }, () => {
  let dir = '';
  beforeAll(() => {
    // The built package alone, with no node_modules anywhere above it: no tsx, no yargs.
    dir = mkdtempSync(join(tmpdir(), 'clonecheck-bare-'));
    for (const part of ['bin', 'dist', 'docs', 'package.json']) cpSync(join(ROOT, part), join(dir, 'pkg', part), { recursive: true });
    writeFileSync(join(dir, 'job.mjs'), 'export const job = { id: 1, at: new Date(0) };\n');
    writeFileSync(join(dir, 'widget.tsx'), 'export const size: number = 1;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks JavaScript with neither tsx nor yargs installed, and says what a .tsx file needs', async () => {
    const bin = join(dir, 'pkg', 'bin', 'clonecheck.js');
    const run = (args: string[]): Promise<Run> => clonecheck(args, { bin, cwd: dir });
    const [js, tsx, version] = await Promise.all([run(['job.mjs']), run(['widget.tsx']), run(['--version'])]);
    expect(js).toMatchObject({ code: 1, stderr: '' });
    expect(js.stdout).toContain('  export job (line 1): 1 loss\n');
    expect(tsx.code).toBe(2);
    expect(tsx.stdout.split('\n')[0]).toBe(
      `widget.tsx: error: Node.js ${process.versions.node} cannot load this file by itself, and tsx is not installed: npm install --save-dev tsx`,
    );
    expect(version.stdout).toBe(`${VERSION}\n`);
  });

  it(
    'on the Node.js lines that strip types (scripts/runtimes.mjs), loads TypeScript without tsx; a .js-style import goes to tsx, and the module runs once',
    { timeout: 300_000 },
    async () => {
      const { found } = ensure([22, 24, 26], { log: () => undefined }) as { found: Record<string, { node: string; version: string }> };
      const lines = Object.values(found);
      expect(lines.length).toBeGreaterThan(0);
      writeFileSync(join(dir, 'plain.ts'), 'export const at: Date = new Date(0);\n');
      mkdirSync(join(dir, 'esm'), { recursive: true });
      writeFileSync(join(dir, 'esm', 'package.json'), '{ "type": "module" }\n');
      writeFileSync(join(dir, 'esm', 'lib.ts'), 'export const make = (n: number): { n: number; at: Date } => ({ n, at: new Date(0) });\n');
      writeFileSync(join(dir, 'esm', 'main.ts'), 'import { make } from "./lib.js";\nconsole.error("main ran");\nexport const job = make(1);\n');
      for (const { node, version } of lines) {
        // The package alone (no tsx anywhere): Node strips the types itself.
        const bare = await clonecheck(['plain.ts', '-c', 'fork'], { execPath: node, bin: join(dir, 'pkg', 'bin', 'clonecheck.js'), cwd: dir });
        expect({ version, code: bare.code, stderr: bare.stderr }).toEqual({ version, code: 1, stderr: '' });
        expect(bare.stdout).toContain('  export at (line 1): 1 loss\n');
        // `./lib.js` for lib.ts: Node stops while linking, before main.ts runs; tsx takes it.
        const bridged = await clonecheck(['esm/main.ts', '-c', 'fork'], { execPath: node, cwd: dir });
        expect({ version, code: bridged.code, stderr: bridged.stderr }).toEqual({ version, code: 1, stderr: 'main ran\n' });
        expect(bridged.stdout).toContain('  export job (line 3): 1 loss\n');
      }
    },
  );
});

describe.concurrent('CI formats', { timeout: 60_000 }, () => {
  it('--format json: one versioned document, files in order, entries as in the human report, locations', async () => {
    const run = await clonecheck(['fixtures/job-payload.ts', 'fixtures/cache.ts', 'fixtures/no-such-module.ts', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    const report = json(run);
    expect(Object.keys(report)).toEqual(['version', 'tool', 'node', 'command', 'options', 'files', 'summary']);
    expect(report.version).toBe(2);
    expect(report.tool).toEqual({ name: 'clonecheck', version: VERSION });
    expect(report.options).toMatchObject({ channels: ['worker', 'fork', 'fork-advanced'], failOn: 'loss', ignore: [], maxFindings: 100 });
    expect(report.files.map((f) => [f.file, f.error ?? null])).toEqual([
      ['fixtures/job-payload.ts', null],
      ['fixtures/cache.ts', null],
      ['fixtures/no-such-module.ts', 'no such file'],
    ]);
    const jobSubject = subjectOf(report, 'job');
    expect(jobSubject).toMatchObject({
      kind: 'export',
      line: 20,
      column: 14,
      lossless: { worker: false, fork: false, 'fork-advanced': false },
      findings: check(job).findings.length,
      truncated: false,
      omitted: 0,
    });
    expect(jobSubject.entries[0]).toMatchObject({
      code: 'FUNCTION_NOT_CLONEABLE',
      severity: 'throw',
      effect: 'throws',
      channels: ['worker', 'fork-advanced'],
      at: '$.onDone',
      path: ['onDone'],
      count: 1,
      failing: true,
    });
    expect(subjectOf(report, 'loaders').entries[0]).toMatchObject({ path: [{ kind: 'map-value', index: 0 }], at: '$.get("user")' });
    expect(report.summary).toMatchObject({ files: 3, unloadable: 1, errors: 0, exitCode: 2 });
  });

  it('--format sarif: valid SARIF 2.1.0, one rule per code with its docs section, results at the export', async () => {
    const run = await clonecheck([
      'fixtures/job-payload.ts',
      'fixtures/mixed/broken.mjs',
      'fixtures/builders.ts',
      '--args',
      'buildJob={}',
      '--format',
      'sarif',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; helpUri: string; shortDescription: { text: string }; fullDescription: { text: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
        }[];
        invocations: { executionSuccessful: boolean; exitCode: number; toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
      }[];
    };
    // Validated against the SARIF 2.1.0 schema (a draft-04 JSON Schema).
    const fromSarifPackage = createRequire(createRequire(import.meta.url).resolve('@microsoft/jest-sarif'));
    const Ajv = fromSarifPackage('ajv') as new (options: object) => {
      addMetaSchema: (s: object) => void;
      compile: (s: object) => ((d: unknown) => boolean) & { errors?: unknown };
    };
    const ajv = new Ajv({ schemaId: 'id', allErrors: true, unknownFormats: 'ignore', logger: false });
    ajv.addMetaSchema(fromSarifPackage('ajv/lib/refs/json-schema-draft-04.json') as object);
    const validate = ajv.compile(JSON.parse(readFileSync(fromSarifPackage.resolve('../lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0]!;
    const rules = run0.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(FINDING_CODES);
    const docs = readFileSync(join(ROOT, 'docs', 'codes.md'), 'utf8');
    for (const rule of rules) {
      expect(rule.helpUri).toMatch(new RegExp(`/docs/codes\\.md#${rule.id.toLowerCase()}$`));
      expect(rule.fullDescription.text.length).toBeGreaterThanOrEqual(rule.shortDescription.text.length);
    }
    // The codes of this report link to their sections, and describe themselves from them.
    for (const id of new Set(run0.results.map((r) => r.ruleId))) {
      expect(docs).toContain(`### \`${id}\``);
      expect(rules.find((r) => r.id === id)!.shortDescription.text.length).toBeGreaterThan(10);
    }
    const onDone = run0.results.find((r) => r.ruleId === 'FUNCTION_NOT_CLONEABLE')!;
    expect(rules[onDone.ruleIndex]!.id).toBe('FUNCTION_NOT_CLONEABLE');
    expect(onDone.level).toBe('error');
    expect(onDone.message.text).toMatch(/^export job, \$\.onDone on worker, fork-advanced: /);
    expect(onDone.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/job-payload.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 20, startColumn: 14 },
    });
    const notes = run0.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text);
    expect(notes).toContain("fixtures/mixed/broken.mjs:2:31: syntax error: Unexpected token ','");
    expect(notes.some((t) => t.startsWith('buildJob: buildJob({}) threw: TypeError'))).toBe(true);
    // A file that could not be loaded: the run did not do all it was asked.
    expect(run0.invocations[0]).toMatchObject({ executionSuccessful: false, exitCode: 2 });
  });

  it('--format sarif: executionSuccessful says whether everything asked was checked', async () => {
    const [clean, failing, unknownExport] = await Promise.all([
      clonecheck(['fixtures/clean-message.ts', '--format', 'sarif']),
      clonecheck(['fixtures/job-payload.ts', '--format', 'sarif']),
      clonecheck(['fixtures/job-payload.ts', '--export', 'jobs', '--format', 'sarif']),
    ]);
    type Invocation = { executionSuccessful: boolean; exitCode: number; toolExecutionNotifications: { level: string; message: { text: string } }[] };
    const invocation = (run: Run): Invocation => (JSON.parse(run.stdout) as { runs: { invocations: Invocation[] }[] }).runs[0]!.invocations[0]!;
    expect(invocation(clean)).toEqual({ executionSuccessful: true, exitCode: 0, toolExecutionNotifications: [] });
    // Findings that fail the run are results, not a failure of the tool.
    expect(invocation(failing)).toMatchObject({ executionSuccessful: true, exitCode: 1 });
    expect(unknownExport.code).toBe(2);
    expect(invocation(unknownExport)).toEqual({
      executionSuccessful: false,
      exitCode: 2,
      toolExecutionNotifications: [
        { level: 'error', message: { text: '--export: no module exports "jobs" (did you mean "job"?); the exports are job, queue' } },
      ],
    });
  });

  it('--format github: one workflow annotation per entry at the export, escaped as the runner reads it', async () => {
    const run = await clonecheck(['fixtures/job-payload.ts', 'fixtures/mixed/broken.mjs', 'fixtures/shared-counter.ts', '--format', 'github']);
    expect(run.code).toBe(2);
    const lines = run.stdout.trimEnd().split('\n');
    const annotations = lines.filter((l) => l.startsWith('::'));
    expect(annotations.length).toBe(lines.length - 1);
    expect(lines.at(-1)).toMatch(/^Checked 3 exports in 2 files on /);
    for (const a of annotations) expect(a).toMatch(/^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+)?,title=[^:]*::\S/);
    expect(annotations).toContain(
      "::error file=fixtures/mixed/broken.mjs,line=2,col=31,title=clonecheck%3A cannot load::fixtures/mixed/broken.mjs:2:31: syntax error: Unexpected token ','",
    );
    expect(
      annotations.some((a) =>
        a.startsWith(
          '::error file=fixtures/job-payload.ts,line=20,col=14,title=clonecheck FUNCTION_NOT_CLONEABLE%3A export job%2C $.onDone::worker, fork-advanced: ',
        ),
      ),
    ).toBe(true);
    // A hint is a second line of the annotation: escaped, never a second command.
    expect(annotations.some((a) => a.includes('%0Ahint: '))).toBe(true);
    // A note never fails: it is a notice.
    expect(annotations.some((a) => a.startsWith('::notice file=fixtures/shared-counter.ts') && a.includes('title=clonecheck SHARED_MEMORY'))).toBe(true);
  });

  it('ends quietly with the exit code so far when the reader closes the pipe (EPIPE)', async () => {
    // 40,000 entries of JSON: far more than a pipe holds, so the writes after the reader has gone
    // fail with EPIPE.
    const run = await clonecheck(['fixtures/job-payload.ts', 'fixtures/huge/wide.mjs', '--max-findings', '0', '-f', 'json'], { closeStdoutEarly: true });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: '' });
    expect(run.stdout.length).toBeLessThan(1_000_000);
  });
});

describe.concurrent('policy: config file, --fail-on, --strict, --ignore, --target', { timeout: 30_000 }, () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clonecheck-config-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'payload.mjs'), 'export const payload = Object.freeze({ when: new Date(0), tags: new Set(["a"]) });\n');
    writeFileSync(join(dir, 'src', 'request.mjs'), 'export const request = { url: new URL("https://example.com/a") };\n');
    writeFileSync(join(dir, 'clonecheck.config.json'), JSON.stringify({ failOn: 'throw', ignore: ['DATE_BECOMES_STRING'] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('honours clonecheck.config.json from the working directory; flags win', async () => {
    const [config, flag] = await Promise.all([
      clonecheck(['src/payload.mjs', '-f', 'json'], { cwd: dir }),
      clonecheck(['src/payload.mjs', '--fail-on', 'loss'], { cwd: dir }),
    ]);
    const report = json(config);
    expect({ code: config.code, stderr: config.stderr }).toEqual({ code: 0, stderr: '' });
    expect(report.options).toMatchObject({ failOn: 'throw', ignore: ['DATE_BECOMES_STRING'], config: join(dir, 'clonecheck.config.json') });
    expect(subjectOf(report, 'payload').ignored).toEqual({ count: 1, codes: { DATE_BECOMES_STRING: 1 } });
    expect(subjectOf(report, 'payload').entries.map((e) => e.code)).not.toContain('DATE_BECOMES_STRING');
    expect(flag.code).toBe(1);
    expect(flag.stdout).toMatch(/; 1 ignored\n/);
    expect(flag.stdout).toMatch(/, 1 ignored; \d+ fails? the run \(fail level: loss\)\.\n$/);
  });

  it('--fail-on and --strict decide what fails; --ignore sets findings aside, counted', async () => {
    const [throwOnly, none, strict, ignoring] = await Promise.all([
      clonecheck(['fixtures/job-payload.ts', '--fail-on', 'throw']),
      clonecheck(['fixtures/job-payload.ts', '--fail-on', 'none']),
      clonecheck(['fixtures/shared-counter.ts', '--strict', '-f', 'json']),
      clonecheck([
        'fixtures/job-payload.ts',
        '-e',
        'job',
        '--ignore',
        'FUNCTION_NOT_CLONEABLE',
        '--ignore',
        'FUNCTION_DROPPED',
        '--ignore',
        'PROTOTYPE_LOST',
        '--ignore',
        '$.createdAt',
      ]),
    ]);
    expect(throwOnly.code).toBe(1);
    expect(throwOnly.stdout).toContain('; 2 fail the run (fail level: throw).');
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('; none fails the run (--fail-on none).');
    expect(json(strict).options).toMatchObject({ failOn: 'reshape' });
    expect(ignoring.code).toBe(0);
    expect(ignoring.stdout).toContain('  export job (line 20): lossless on worker, fork, fork-advanced; 7 ignored\n');
  });

  it('--target is passed to the checker and named in the JSON document', async () => {
    const run = await clonecheck(['fixtures/clean-message.ts', '--target', 'node22', '-f', 'json']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(json(run).options).toMatchObject({ target: 'node22' });
  });

  it('--target changes the answer: a URL arrives reshaped over a worker on Node 20 and throws from Node 22; without it, the running line', async () => {
    const findingsFor = (target?: Target) =>
      check({ url: new URL('https://example.com/a') }, { channels: ['worker'], origins: false, ...(target ? { target } : {}) }).findings;
    const expected = (target?: Target) => ({
      code: findingsFor(target).some((f) => f.severity === 'throw') ? 1 : 0,
      stderr: '',
      codes: findingsFor(target).map((f) => f.code),
    });
    const run = async (target?: Target) => {
      const r = await clonecheck(['src/request.mjs', '-c', 'worker', '--fail-on', 'throw', '-f', 'json', ...(target ? ['--target', target] : [])], {
        cwd: dir,
      });
      return { code: r.code, stderr: r.stderr, codes: subjectOf(json(r), 'request').entries.map((e) => e.code), target: json(r).options.target };
    };
    const [for20, for26, running] = await Promise.all([run('node20'), run('node26'), run()]);
    // The two lines disagree (docs/channels.md: Node 21 marked URL uncloneable), so the runs must too.
    expect(findingsFor('node20').map((f) => f.effect)).toEqual(['changed']);
    expect(findingsFor('node26').map((f) => f.effect)).toEqual(['throws']);
    expect(for20).toEqual({ ...expected('node20'), target: 'node20' });
    expect(for26).toEqual({ ...expected('node26'), target: 'node26' });
    expect({ ...running, target: undefined }).toEqual({ ...expected(), target: undefined });
  });
});

describe.concurrent('--verify', { timeout: 60_000 }, () => {
  it('sends each export through a real Worker and forked children, and agrees with the prediction', async () => {
    const [human, asJson] = await Promise.all([
      clonecheck(['fixtures/job-payload.ts', 'fixtures/clean-message.ts', '--verify']),
      clonecheck(['fixtures/job-payload.ts', 'fixtures/cache.ts', '-e', 'job', '-e', 'cache', '-c', 'worker,fork-advanced', '--verify', '--format', 'json']),
    ]);
    expect(human.stdout).toMatch(
      /\n {4}verify \(real sends\):\n {6}worker {9}agrees: threw DataCloneError: .*\n {6}fork {11}agrees: arrived with \d+ differences?\n {6}fork-advanced {2}agrees: threw /,
    );
    expect(human.stdout).toContain(
      '  export message (line 2): lossless on worker, fork, fork-advanced\n    verify: arrived the same on worker, fork, fork-advanced, as predicted\n',
    );
    expect(human.stdout).toMatch(/ Verified: 9 real sends agree with the prediction\.\n$/);
    expect(human.code).toBe(1);
    const report = json(asJson);
    expect(report.options['verify']).toBe(true);
    expect(report.summary).toMatchObject({ disagreements: 0 });
    expect(subjectOf(report, 'job').verify).toEqual([
      { channel: 'worker', outcome: 'threw', error: expect.stringMatching(/^DataCloneError: /) as unknown, agrees: true, disagreements: [] },
      { channel: 'fork-advanced', outcome: 'threw', error: expect.any(String) as unknown, agrees: true, disagreements: [] },
    ]);
    expect(subjectOf(report, 'cache').verify).toEqual([
      { channel: 'worker', outcome: 'arrived', differences: 0, agrees: true, disagreements: [] },
      { channel: 'fork-advanced', outcome: 'arrived', differences: 0, agrees: true, disagreements: [] },
    ]);
  });
});

describe.concurrent('scan', { timeout: 120_000 }, () => {
  it('renders the send sites of a project with the same reporters', async () => {
    const [human, asJson] = await Promise.all([
      clonecheck(['scan', 'fixtures/scan-project/src']),
      clonecheck(['scan', 'fixtures/scan-project/src', '-f', 'json']),
    ]);
    expect(human.stderr).toBe('');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^ {2}send \S+ \(line \d+\): /m);
    expect(human.stdout).toMatch(/\nChecked \d+ send sites in \d+ files on /);
    const report = json(asJson);
    expect(report.command).toBe('scan');
    const subjects = report.files.flatMap((f) => f.subjects);
    expect(subjects.length).toBeGreaterThan(0);
    for (const s of subjects) expect(s).toMatchObject({ kind: 'send-site', line: expect.any(Number) as unknown });
  });

  it('a file without sends: the summary alone, without a blank line before it', async () => {
    const run = await clonecheck(['scan', 'fixtures/clean-message.ts']);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: 'Checked 0 send sites in 1 file on worker, fork, fork-advanced: no findings.\n' });
  });
});

describe.concurrent('bad input', { timeout: 30_000 }, () => {
  let dir = '';
  beforeAll(() => {
    // A TypeScript syntax error cannot live in fixtures/: the repository's typecheck reads every .ts there.
    dir = mkdtempSync(join(tmpdir(), 'clonecheck-cli-'));
    writeFileSync(join(dir, 'syntax-error.ts'), 'export const job: { id: number } = {\n  id: 1,\n  retries: ,\n};\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a syntax error, with file:line:col, in TypeScript, in JavaScript and in an imported module', async () => {
    const [ts, js, dependency] = await Promise.all([
      clonecheck([join(dir, 'syntax-error.ts')]),
      clonecheck(['fixtures/bad/syntax-error.mjs']),
      clonecheck(['fixtures/bad/broken-import.ts']),
    ]);
    expect(ts.stdout.split('\n')[0]).toBe(`${join(dir, 'syntax-error.ts')}:3:12: syntax error: Unexpected ","`);
    expect(js.stdout.split('\n')[0]).toBe("fixtures/bad/syntax-error.mjs:3:13: syntax error: Unexpected token ','");
    expect(dependency.stdout.split('\n')[0]).toBe(
      "fixtures/bad/broken-import.ts: error: fixtures/bad/broken-dependency.mjs:3:3: syntax error: Unexpected identifier 'maxRetries'",
    );
    for (const run of [ts, js, dependency]) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: '' });
  });

  it('a syntax error is placed at its file, line and column in SARIF and in GitHub annotations', async () => {
    const tsFile = join(dir, 'syntax-error.ts');
    const files = [tsFile, 'fixtures/bad/syntax-error.mjs', 'fixtures/bad/broken-import.ts'];
    const [sarif, github, asJson] = await Promise.all([
      clonecheck([...files, '--format', 'sarif']),
      clonecheck([...files, '--format', 'github']),
      clonecheck([...files, '--format', 'json']),
    ]);
    expect(json(asJson).files.map((f) => (f as { errorAt?: unknown }).errorAt)).toEqual([
      { file: tsFile, line: 3, column: 12 },
      { file: 'fixtures/bad/syntax-error.mjs', line: 3, column: 13 },
      { file: 'fixtures/bad/broken-dependency.mjs', line: 3, column: 3 },
    ]);
    type Place = { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } };
    const log = JSON.parse(sarif.stdout) as { runs: { invocations: { toolExecutionNotifications: { message: { text: string }; locations: Place[] }[] }[] }[] };
    const notes = log.runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notes.map((n) => [n.locations[0]!.physicalLocation.artifactLocation.uri.split('/').at(-1), n.locations[0]!.physicalLocation.region])).toEqual([
      // TypeScript through esbuild, JavaScript through Node, and the imported module that does not parse.
      ['syntax-error.ts', { startLine: 3, startColumn: 12 }],
      ['syntax-error.mjs', { startLine: 3, startColumn: 13 }],
      ['broken-dependency.mjs', { startLine: 3, startColumn: 3 }],
    ]);
    expect(notes[2]!.message.text).toBe(
      "fixtures/bad/broken-import.ts: fixtures/bad/broken-dependency.mjs:3:3: syntax error: Unexpected identifier 'maxRetries'",
    );
    const annotations = github.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toEqual([
      `::error file=${tsFile},line=3,col=12,title=clonecheck%3A cannot load::${tsFile}:3:12: syntax error: Unexpected ","`,
      "::error file=fixtures/bad/syntax-error.mjs,line=3,col=13,title=clonecheck%3A cannot load::fixtures/bad/syntax-error.mjs:3:13: syntax error: Unexpected token ','",
      "::error file=fixtures/bad/broken-dependency.mjs,line=3,col=3,title=clonecheck%3A cannot load::fixtures/bad/broken-import.ts: fixtures/bad/broken-dependency.mjs:3:3: syntax error: Unexpected identifier 'maxRetries'",
    ]);
    for (const run of [sarif, github, asJson]) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: '' });
  });

  it('a tsconfig.json that tsx cannot use is named', async () => {
    const project = mkdtempSync(join(tmpdir(), 'clonecheck-tsconfig-'));
    try {
      writeFileSync(join(project, 'tsconfig.json'), '{ "extends": "./base.json" }\n');
      writeFileSync(join(project, 'a.ts'), 'export const a: number = 1;\n');
      writeFileSync(join(project, 'b.tsx'), 'export const b: number = 1;\n');
      const [ts, tsx] = await Promise.all([clonecheck(['a.ts'], { cwd: project }), clonecheck(['b.tsx'], { cwd: project })]);
      // A .tsx file always goes through tsx.
      expect(tsx.code).toBe(2);
      expect(tsx.stdout.split('\n')[0]).toMatch(/^b\.tsx: error: cannot be loaded: tsconfig\.json: .*base\.json/);
      // A .ts file too, unless this Node.js line strips types itself (22.18 and later), which reads no tsconfig.json.
      if ((process.features as { typescript?: unknown }).typescript) {
        expect(ts.code).toBe(0);
        expect(ts.stdout.split('\n')[1]).toMatch(/^ {2}export a \(line 1\): lossless on worker, fork, fork-advanced$/);
      } else {
        expect(ts.code).toBe(2);
        expect(ts.stdout.split('\n')[0]).toMatch(/^a\.ts: error: cannot be loaded: tsconfig\.json: .*base\.json/);
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('a module that calls process.exit() on import, one whose import cannot be found, one that never settles', async () => {
    const [exits, missing, never] = await Promise.all([
      clonecheck(['fixtures/bad/exits-on-import.ts']),
      clonecheck(['fixtures/bad/missing-import.ts']),
      clonecheck(['fixtures/bad/never-settles.ts', '--timeout', '300']),
    ]);
    expect(exits).toMatchObject({ code: 2, stderr: 'TOKEN is required\n' });
    expect(exits.stdout.split('\n')[0]).toBe('fixtures/bad/exits-on-import.ts: error: called process.exit(1) while loading');
    expect(missing.stdout.split('\n')[0]).toBe(
      "fixtures/bad/missing-import.ts: error: cannot be loaded: Cannot find package 'clonecheck-fixture-no-such-package' imported from fixtures/bad/missing-import.ts",
    );
    expect(never.stdout.split('\n')[0]).toBe(
      'fixtures/bad/never-settles.ts: error: did not finish loading within 300 ms (a top-level await that never settles?); use --timeout to wait longer',
    );
  });

  it('a factory that throws under --call, a Promise that rejects under --await: that export only', async () => {
    const [call, rejected] = await Promise.all([clonecheck(['fixtures/bad/call-throws.ts', '--call']), clonecheck(['fixtures/bad/rejects.ts', '--await'])]);
    expect(call.code).toBe(2);
    expect(call.stdout).toMatch(
      /^ {2}export makeClient\(\) \(line \d+\): error: makeClient\(\) threw: Error: no credentials in the environment \(at fixtures\/bad\/call-throws\.ts:2:9\)$/m,
    );
    expect(rejected.code).toBe(2);
    expect(rejected.stdout).toMatch(
      /^ {2}export config, awaited \(line \d+\): error: config rejected: Error: config server unreachable \(at fixtures\/bad\/rejects\.ts:2:9\)$/m,
    );
  });

  it('an unknown export: the report, then one line naming it, with the near miss', async () => {
    const run = await clonecheck(['fixtures/job-payload.ts', '--export', 'jobs']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('clonecheck: --export: no module exports "jobs" (did you mean "job"?); the exports are job, queue\n');
    expect(run.stdout).toContain('  nothing to check: it has no export named "jobs"\n');
  });

  it('--args for an export no module has is the same error as an unknown --export, not ignored', async () => {
    const [args, both, json] = await Promise.all([
      clonecheck(['fixtures/builders.ts', '--args', 'buildBach=[2]']),
      clonecheck(['fixtures/job-payload.ts', '--args', 'g=[1]', '--export', 'job,qeue']),
      clonecheck(['fixtures/job-payload.ts', '--args', 'g=[1]', '--format', 'json']),
    ]);
    expect(args.code).toBe(2);
    expect(args.stderr).toMatch(/^clonecheck: --args: no module exports "buildBach" \(did you mean "buildBatch"\?\); the exports are .*\bbuildBatch\b.*\n$/);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      [
        'clonecheck: --export: no module exports "qeue" (did you mean "queue"?); the exports are job, queue',
        'clonecheck: --args: no module exports "g"; the exports are job, queue',
        '',
      ].join('\n'),
    );
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('clonecheck: --args: no module exports "g"; the exports are job, queue\n');
    expect((JSON.parse(json.stdout) as { summary: { exitCode: number } }).summary.exitCode).toBe(2);
  });

  it('--args for an export that --export leaves out is an error too, saying how to add it, and the JSON report lists it', async () => {
    const [human, json] = await Promise.all([
      clonecheck(['fixtures/builders.ts', '--args', 'buildBatch=[2]', '-e', 'buildJob']),
      clonecheck(['fixtures/builders.ts', '--args', 'buildBatch=[2]', '-e', 'buildJob', '--format', 'json']),
    ]);
    const line = '--args: "buildBatch" is not checked, --export selects only buildJob; add it: --export buildJob,buildBatch';
    expect(human.code).toBe(2);
    expect(human.stderr).toBe(`clonecheck: ${line}\n`);
    expect(human.stdout).not.toContain('buildBatch');
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as { summary: { exitCode: number; problems: string[] } };
    expect(report.summary.problems).toEqual([line]);
    expect(report.summary.exitCode).toBe(2);
    // Selected, the same arguments are used.
    const both = await clonecheck(['fixtures/builders.ts', '--args', 'buildBatch=[2]', '-e', 'buildJob,buildBatch', '--format', 'json']);
    expect(JSON.parse(both.stdout).summary.problems).toEqual([]);
    expect(both.stderr).not.toContain('--args');
  });

  it('a module that throws later, from a timer: the line names the file and the line that threw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-late-'));
    try {
      writeFileSync(join(dir, 'late.mjs'), 'setTimeout(() => {\n  throw new Error("later");\n}, 10);\nexport const a = 1;\n');
      writeFileSync(join(dir, 'exits.mjs'), 'setTimeout(() => process.exit(3), 10);\nexport const c = 1;\n');
      writeFileSync(join(dir, 'string.mjs'), 'setTimeout(() => {\n  throw "later";\n}, 10);\nexport const d = 1;\n');
      // Still loading when the timer of the file before it fires.
      writeFileSync(join(dir, 'slow.mjs'), 'await new Promise((r) => setTimeout(r, 2000));\nexport const b = 1;\n');
      const [late, exits, string] = await Promise.all(['late.mjs', 'exits.mjs', 'string.mjs'].map((f) => clonecheck([f, 'slow.mjs'], { cwd: dir })));
      for (const run of [late, exits, string]) expect(run.code).toBe(2);
      expect(late.stderr).toBe('clonecheck: late.mjs threw outside of loading (from a timer or a callback): Error: later (at late.mjs:2:9)\n');
      expect(exits.stderr).toBe('clonecheck: exits.mjs called process.exit(3) after loading (at exits.mjs:1:26)\n');
      // A thrown string has no stack: the file being checked when it came.
      expect(string.stderr).toBe(
        'clonecheck: a module threw outside of loading (from a timer or a callback, during the check of slow.mjs): "later" (not an Error)\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("usage errors, in the tool's own words: exit 2, one line, nothing on stdout", async () => {
    const cases: [string[], string | RegExp][] = [
      [[], 'clonecheck: no module given: name files, directories or quoted globs (see clonecheck --help)'],
      [['fixtures/job-payload.ts', '--bogus'], 'clonecheck: unknown option --bogus (see clonecheck --help)'],
      [['fixtures/job-payload.ts', '--chanel', 'fork'], 'clonecheck: unknown option --chanel (did you mean --channel?) (see clonecheck --help)'],
      [
        ['fixtures/job-payload.ts', '--channel', 'ipc'],
        'clonecheck: --channel: unknown channel "ipc"; use worker, fork, fork-advanced, json or v8 (see clonecheck --help)',
      ],
      [
        ['fixtures/job-payload.ts', '--fail-on', 'none,throws'],
        'clonecheck: --fail-on takes one severity, not a list: findings of that severity or worse fail the run; use throw, loss, reshape, note or none (see clonecheck --help)',
      ],
      [['fixtures/job-payload.ts', '--format', 'xml'], 'clonecheck: --format: unknown format "xml"; use human, json, sarif or github (see clonecheck --help)'],
      [['fixtures/job-payload.ts', '--timeout', 'soon'], 'clonecheck: --timeout needs a positive whole number, not "soon" (see clonecheck --help)'],
      [
        ['fixtures/job-payload.ts', '--target', 'node18'],
        'clonecheck: --target: unknown target "node18" (did you mean node20?); use node20, node22, node24 or node26 (see clonecheck --help)',
      ],
      [['fixtures/job-payload.ts', '--export'], 'clonecheck: --export needs a value (name) (see clonecheck --help)'],
      [
        ['fixtures/job-payload.ts', '--ignore', 'DATE_BECOMES_STRIN'],
        /^clonecheck: --ignore: unknown code "DATE_BECOMES_STRIN"\W.*"DATE_BECOMES_STRING".* \(see clonecheck --help\)$/,
      ],
      [['fixtures/job-payload.ts', '--ignore', '$['], /^clonecheck: --ignore: the path pattern "\$\[" is not valid: .* \(see clonecheck --help\)$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => clonecheck(args)));
    runs.forEach((run, i) => expectOneLineError(run, cases[i]![1]));
  });
});

/**
 * Whole outputs, pinned in test/snapshots/*.md (`$ clonecheck ...`, the output, the exit code), as
 * attw does: a change of layout or wording shows up in review. `npx vitest run -u` rewrites them.
 */
describe.concurrent('snapshots', { timeout: 60_000 }, () => {
  const cases: [string, string[]][] = [
    ['job-payload', ['fixtures/job-payload.ts']],
    ['builders', ['fixtures/builders.ts']],
    ['builders-call', ['fixtures/builders.ts', '--call']],
    ['mixed-glob', ['fixtures/mixed/*']],
    ['big-batch-github', ['fixtures/big-batch.ts', '--format', 'github']],
    ['cache-max-findings', ['fixtures/cache.ts', '--max-findings', '1', '--strict']],
  ];
  it.for(cases)('%s', async ([name, args], { expect }) => {
    const run = await clonecheck(args);
    const text = [
      `$ clonecheck ${args.map((a) => (/[*\s]/.test(a) ? `'${a}'` : a)).join(' ')}`,
      '',
      '```',
      `${run.stdout}${run.stderr ? `(stderr)\n${run.stderr}` : ''}\`\`\``,
      '',
      `Exit code: ${run.code}`,
      '',
    ].join('\n');
    await expect(text).toMatchFileSnapshot(`./snapshots/${name}.md`);
  });
});

describe.concurrent('--help and --version', { timeout: 30_000 }, () => {
  it('--help shows usage, real examples, severities, exit codes, and that the module is executed', async () => {
    const [run, scan] = await Promise.all([clonecheck(['--help']), clonecheck(['scan', '--help'])]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^clonecheck <paths\.\.> \[options\]\n/);
    for (const flag of [
      '--export',
      '--channel',
      '--target',
      '--fail-on',
      '--strict',
      '--ignore',
      '--call',
      '--args',
      '--await',
      '--verify',
      '--format',
      '--max-findings',
      '--timeout',
      '--color',
      '--help',
      '--version',
    ])
      expect(run.stdout).toContain(flag);
    // The first example runs as it is written in any project that installed clonecheck.
    expect(run.stdout).toContain('Try it on the example that ships with it: clonecheck node_modules/clonecheck/examples/job.mjs\n');
    expect(run.stdout).toContain('clonecheck runs each module');
    expect(run.stdout).toMatch(/Exit codes \(the worst outcome of the run\):\n {2}0 .*\n {2}1 .*\n {2}2 /);
    expect(run.stdout).toMatch(/\nDocs: https:\/\/\S+\/docs\/cli\.md\n$/);
    expect(scan.stdout).toMatch(/^clonecheck scan \[paths\.\.\] \[options\]\n/);
    expect(scan.stdout).toMatch(/\nDocs: https:\/\/\S+\/docs\/scan\.md\n$/);
    expect(scan.stdout).not.toContain('--call');
    // Each command's help speaks of its own subjects and outcomes.
    expect(scan.stdout).not.toMatch(/--verify|per export/);
    expect(scan.stdout).toContain('[default: the channels each send crosses]');
  });

  it('--version prints the package version', async () => {
    const run = await clonecheck(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});
