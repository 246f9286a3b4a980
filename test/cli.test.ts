/**
 * End to end: spawns the real bin/clonecheck.js (which runs the built dist/cli.js; `npm test`
 * builds first) on the modules in fixtures/, and checks stdout, stderr, the JSON document and the
 * exit code. The expected reports are built from check() and formatReport(), so that a rule's
 * wording can change without breaking these tests, while the layout and the glue cannot.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { compareWithArrival, exitCodeFor, EXIT, parseChannels, parseFailOn, shouldColor } from '../src/cli/index.js';
import { describe as describeValue, diff } from '../src/roundtrip.js';
import { formatReport, formatSummary } from '../src/report/index.js';
import type { Arrival } from '../src/roundtrip.js';
import { CHANNELS, type Channel } from '../src/types.js';
import { job, queue } from '../fixtures/job-payload.js';
import { batch } from '../fixtures/big-batch.js';

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

function clonecheck(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - start }));
  });
}

function json(run: Run): Report {
  expect(run.stdout.trimStart().startsWith('{')).toBe(true);
  return JSON.parse(run.stdout) as Report;
}

interface Report {
  version: number;
  tool: { name: string; version: string };
  node: string;
  options: { channels: Channel[]; failOn: string[]; call: boolean; await: boolean; verify: boolean };
  modules: {
    file: string;
    path: string;
    exports: {
      name: string;
      obtained: string;
      lossless: Record<string, boolean>;
      counts: Record<string, number>;
      failing: number;
      truncated: boolean;
      findings: { channel: string; effect: string; code: string; path: unknown[]; at: string; message: string; hint?: string; args: Record<string, unknown> }[];
      verify?: { channel: string; outcome: string; agrees: boolean; disagreements: unknown[]; differences?: number; error?: string }[];
    }[];
  }[];
  summary: { modules: number; exports: number; findings: number; counts: Record<string, number>; failing: number; disagreements: number | null; exitCode: number };
}

const codesOf = (report: Report, name: string): string[] =>
  report.modules.flatMap((m) => m.exports.filter((e) => e.name === name).flatMap((e) => e.findings.map((f) => `${f.channel}:${f.code}:${f.at}`)));

/** A usage or load error: exit 2, nothing on stdout, one line on stderr and no stack trace. */
function expectOneLineError(run: Run, line: string | RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
  expect(run.stderr.endsWith('\n')).toBe(true);
  const lines = run.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('pure parts', () => {
  it('exit code: 1 for failing findings or disagreements, else 0', () => {
    expect(exitCodeFor({ failing: 0, disagreements: 0 })).toBe(0);
    expect(exitCodeFor({ failing: 3, disagreements: 0 })).toBe(1);
    expect(exitCodeFor({ failing: 0, disagreements: 1 })).toBe(1);
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
    expect(shouldColor(undefined, pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(shouldColor(undefined, tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColor(undefined, pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(shouldColor(false, tty, { FORCE_COLOR: '1' })).toBe(false);
    expect(shouldColor(true, pipe, { NO_COLOR: '1' })).toBe(true);
  });

  it('--fail-on and --channel take repeated or comma-separated values', () => {
    expect(parseFailOn(undefined)).toEqual(['throws', 'dropped', 'changed']);
    expect(parseFailOn(['note', 'throws'])).toEqual(['throws', 'note']);
    expect(parseFailOn(['throws,dropped'])).toEqual(['throws', 'dropped']);
    expect(parseFailOn(['none'])).toEqual([]);
    expect(() => parseFailOn(['throws', 'sometimes'])).toThrow('--fail-on: unknown effect "sometimes"');
    expect(parseChannels(undefined)).toEqual([...CHANNELS]);
    expect(parseChannels(['fork-advanced', 'worker'])).toEqual(['worker', 'fork-advanced']);
    expect(parseChannels(['fork,worker'])).toEqual(['worker', 'fork']);
    expect(() => parseChannels(['ipc'])).toThrow('--channel: unknown channel "ipc"');
  });
});

describe('comparing a prediction with a real send (--verify)', () => {
  const value = { id: 1, when: new Date(0) };
  const jsonArrival = JSON.parse(JSON.stringify(value)) as unknown;
  const sent = describeValue(value);
  const arrived = (received: unknown): Arrival => ({ outcome: 'arrived', threw: false, sent, description: describeValue(received) });
  const threw: Arrival = { outcome: 'threw', threw: true, sent, error: { name: 'DataCloneError', message: 'could not be cloned.' } };
  const findingsOn = (v: unknown, channel: Channel) => check(v, { channels: [channel] }).findings;

  it('agrees when the predicted places are the places that arrived different', () => {
    const differences = diff(value, jsonArrival);
    expect(differences.map((d) => d.at)).toEqual(['$.when']);
    expect(compareWithArrival('fork', findingsOn(value, 'fork'), arrived(jsonArrival), differences)).toEqual([]);
    expect(compareWithArrival('worker', findingsOn(value, 'worker'), arrived(structuredClone(value)), [])).toEqual([]);
  });

  it('reports a difference no finding covers, and a finding nothing confirms', () => {
    const differences = diff(value, jsonArrival);
    expect(compareWithArrival('fork', [], arrived(jsonArrival), differences)).toEqual([
      { channel: 'fork', kind: 'unpredicted', at: '$.when', detail: expect.stringMatching(/^arrived different, and no finding says so: /) },
    ]);
    expect(compareWithArrival('fork', findingsOn(value, 'fork'), arrived(value), [])).toEqual([
      { channel: 'fork', kind: 'unconfirmed', at: '$.when', detail: 'DATE_BECOMES_STRING says it is changed, but it arrived the same' },
    ]);
  });

  it('compares a throws prediction with whether the real send threw', () => {
    const fn = { job: { onDone() {} } };
    expect(compareWithArrival('worker', findingsOn(fn, 'worker'), threw, [])).toEqual([]);
    expect(compareWithArrival('worker', [], threw, [])).toEqual([
      { channel: 'worker', kind: 'outcome', at: '$', detail: 'the real send threw (DataCloneError: could not be cloned.), but no finding says it throws' },
    ]);
    expect(compareWithArrival('worker', findingsOn(fn, 'worker'), arrived(fn), [])).toEqual([
      { channel: 'worker', kind: 'outcome', at: '$.job.onDone', detail: 'FUNCTION_NOT_CLONEABLE says the send throws, but it arrived' },
    ]);
    const crashed: Arrival = { outcome: 'crashed', threw: false, crashed: true, sent, reason: 'exit' };
    expect(compareWithArrival('fork-advanced', findingsOn(fn, 'fork-advanced'), crashed, [])).toEqual([]);
    expect(compareWithArrival('fork-advanced', [], crashed, [])).toHaveLength(1);
  });

  it('compares a swallowed message with MESSAGE_SWALLOWED, and reads only its own channel', () => {
    const cmd = { cmd: 'NODE_CUSTOM', x: 1 };
    const swallowed: Arrival = { outcome: 'swallowed', threw: false, swallowed: true, sent };
    expect(compareWithArrival('fork', findingsOn(cmd, 'fork'), swallowed, [])).toEqual([]);
    expect(compareWithArrival('fork', [], swallowed, [])).toMatchObject([{ kind: 'outcome' }]);
    expect(compareWithArrival('worker', check(cmd).findings, arrived(cmd), [])).toEqual([]);
  });
});

describe.concurrent('clonecheck <file>', { timeout: 30_000 }, () => {
  it('reports each export by channel, path by path, with hints, a summary line, and exit 1', async () => {
    const run = await clonecheck(['fixtures/job-payload.ts']);
    const findings = check(job).findings;
    const failingCount = findings.filter((f) => f.effect !== 'note').length;
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        formatReport(findings, { color: false, title: 'export job (fixtures/job-payload.ts)', channels: CHANNELS }),
        '',
        'export queue (fixtures/job-payload.ts): lossless on worker, fork, fork-advanced',
        '',
        `Checked 2 exports on worker, fork, fork-advanced: ${formatSummary(findings)}; ${failingCount} fail the run (--fail-on throws,dropped,changed).`,
        '',
      ].join('\n'),
    );
    expect(check(queue).findings).toEqual([]);
    // The layout, independently of the wording of each rule.
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('export job (fixtures/job-payload.ts)');
    expect(lines.filter((l) => /^[a-z-]+: /.test(l))).toEqual(['worker: 1 throws, 1 changed', 'fork: 1 dropped, 2 changed', 'fork-advanced: 1 throws, 1 changed']);
    const onDone = lines.findIndex((l) => l.startsWith('  $.onDone  throws   ') && l.endsWith(' (FUNCTION_NOT_CLONEABLE)'));
    expect(onDone).toBe(2);
    expect(lines[onDone + 1]).toMatch(/^ {4}hint: \S/);
    expect(run.stdout).toMatch(/\n {2}\$\.customer {2}changed {2}An instance of Customer .* \(PROTOTYPE_LOST\)\n/);
    expect(run.stdout).toMatch(/\n {2}\$\.createdAt {2}changed {2}.* \(DATE_BECOMES_STRING\)\n/);
    expect(run.stdout).not.toContain(ESC);
    expect(run.code).toBe(1);
  });

  it('exits 0 for a clean message, and says it is lossless', async () => {
    const run = await clonecheck(['fixtures/clean-message.ts']);
    expect(run).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'export message (fixtures/clean-message.ts): lossless on worker, fork, fork-advanced\n\nChecked 1 export on worker, fork, fork-advanced: no findings.\n',
    });
  });

  it('checks several files in one run, each export under its own title', async () => {
    const run = await clonecheck(['fixtures/clean-message.ts', 'fixtures/formats/no-exports.mjs', 'fixtures/cache.ts', './fixtures/clean-message.ts']);
    const titles = run.stdout.split('\n').filter((l) => l.startsWith('export ') || l.startsWith('fixtures/'));
    expect(titles).toEqual([
      'export message (fixtures/clean-message.ts): lossless on worker, fork, fork-advanced',
      'fixtures/formats/no-exports.mjs: nothing to check, it has no exports',
      'export cache (fixtures/cache.ts)',
      'export lastFlush (fixtures/cache.ts)',
      'export loaders (fixtures/cache.ts)',
    ]);
    expect(run.stdout).toContain('\n  $.get("user")  throws   ');
    expect(run.stdout).toContain('Checked 4 exports on worker, fork, fork-advanced: 5 findings (2 throws, 3 changed); 5 fail the run');
    expect(run.code).toBe(1);
  });

  it('--channel picks channels, repeated or comma-separated', async () => {
    const [worker, fork] = await Promise.all([
      clonecheck(['fixtures/cache.ts', '-e', 'cache', '-c', 'worker', '-c', 'fork-advanced']),
      clonecheck(['fixtures/cache.ts', '-e', 'cache', '--channel', 'fork,worker']),
    ]);
    expect(worker).toMatchObject({ code: 0, stdout: 'export cache (fixtures/cache.ts): lossless on worker, fork-advanced\n\nChecked 1 export on worker, fork-advanced: no findings.\n' });
    expect(fork.code).toBe(1);
    expect(fork.stdout).toMatch(/^export cache \(fixtures\/cache\.ts\)\nworker: lossless\nfork: 1 changed\n {2}\$ {2}changed {2}.*\(MAP_BECOMES_OBJECT\)\n/);
    expect(fork.stdout).not.toMatch(/^fork-advanced/m);
  });

  it('--fail-on decides which effects fail the run; notes never do by default', async () => {
    const [throwsOnly, none, note, noteFails] = await Promise.all([
      clonecheck(['fixtures/job-payload.ts', '--fail-on', 'throws,dropped']),
      clonecheck(['fixtures/job-payload.ts', '--fail-on', 'none']),
      clonecheck(['fixtures/shared-counter.ts', '--channel', 'worker']),
      clonecheck(['fixtures/shared-counter.ts', '--channel', 'worker', '--fail-on', 'note']),
    ]);
    expect(throwsOnly.code).toBe(1);
    expect(throwsOnly.stdout).toContain('; 3 fail the run (--fail-on throws,dropped).');
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('none fail the run (--fail-on none).');
    expect(note.code).toBe(0);
    expect(note.stdout).toMatch(/^worker: lossless, 1 note\n {2}\$\.hits {2}note {5}.*\(SHARED_MEMORY\)$/m);
    expect(noteFails.code).toBe(1);
  });

  it('--export checks only the named exports', async () => {
    const [one, two] = await Promise.all([
      clonecheck(['fixtures/job-payload.ts', '--export', 'queue']),
      clonecheck(['fixtures/job-payload.ts', 'fixtures/cache.ts', '-e', 'queue', '-e', 'lastFlush', '-c', 'fork']),
    ]);
    expect(one).toMatchObject({ code: 0, stdout: 'export queue (fixtures/job-payload.ts): lossless on worker, fork, fork-advanced\n\nChecked 1 export on worker, fork, fork-advanced: no findings.\n' });
    expect(two.stdout.split('\n').filter((l) => l.startsWith('export '))).toEqual(['export queue (fixtures/job-payload.ts): lossless on fork', 'export lastFlush (fixtures/cache.ts)']);
    expect(two.code).toBe(1);
  });

  it('reports exported functions and Promises as what they are, with a tip', async () => {
    const run = await clonecheck(['fixtures/factories.ts', '--format', 'human']);
    expect(run.stdout).toContain('export ready (fixtures/factories.ts)\nworker: 1 throws\n  $  throws   A Promise');
    expect(run.stdout).toContain('(UNCLONEABLE_TYPE)');
    expect(run.stdout).toContain('\ntip: loadSettings and makeJob are functions; --call checks what they return.\n');
    expect(run.stdout).toContain('\ntip: ready is a Promise; --await checks what it resolves to.\n');
    expect(run.code).toBe(1);
  });

  it('--call checks what exported functions return, awaiting Promises; --await awaits exported Promises', async () => {
    const [called, awaited] = await Promise.all([
      clonecheck(['fixtures/factories.ts', '--call', '--format', 'json']),
      clonecheck(['fixtures/factories.ts', '--await', '-e', 'ready']),
    ]);
    const report = json(called);
    const exports = report.modules[0]!.exports;
    expect(exports.map((e) => [e.name, e.obtained])).toEqual([
      ['loadSettings', 'called'],
      ['makeJob', 'called'],
      ['ready', 'value'],
    ]);
    expect(codesOf(report, 'loadSettings')).toEqual([]);
    expect(codesOf(report, 'makeJob')).toEqual(['fork:DATE_BECOMES_STRING:$.runAt']);
    expect(codesOf(report, 'ready')).toContain('worker:UNCLONEABLE_TYPE:$');
    expect(awaited.stdout).toMatch(/^export ready, awaited \(fixtures\/factories\.ts\)\nworker: lossless\nfork: 1 throws\n {2}\$\.pid {2}throws {3}.*\(BIGINT_NOT_JSON\)\n/);
    expect(awaited.code).toBe(1);
  });

  it('collapses one rule over 10,000 array elements into one entry per channel', async () => {
    const run = await clonecheck(['fixtures/big-batch.ts']);
    const f = check(batch, { channels: ['worker'] }).findings[0]!;
    expect(run.stdout).toContain(
      [
        'worker: 10000 throws',
        `  $[*].onProgress  throws   ${f.message} (FUNCTION_NOT_CLONEABLE)`,
        '    10000 paths: $[0].onProgress, $[1].onProgress, $[2].onProgress, ...',
        `    hint: ${f.hint}`,
        'fork: 10000 dropped',
      ].join('\n'),
    );
    expect(run.stdout.split('\n').length).toBeLessThan(20);
    expect(run.stdout).toContain('Checked 1 export on worker, fork, fork-advanced: 30000 findings (20000 throws, 10000 dropped); 30000 fail the run');
    expect(run.code).toBe(1);
  });

  it('colours only on request: FORCE_COLOR, not with --no-color, never in JSON', async () => {
    const args = ['fixtures/cache.ts', '-e', 'cache'];
    const [forced, noFlag, jsonForced] = await Promise.all([
      clonecheck(args, { FORCE_COLOR: '1', NO_COLOR: '1' }),
      clonecheck([...args, '--no-color'], { FORCE_COLOR: '1' }),
      clonecheck([...args, '--format', 'json'], { FORCE_COLOR: '1' }),
    ]);
    expect(forced.stdout).toContain(`${ESC}33mchanged${ESC}39m`);
    expect(noFlag.stdout).not.toContain(ESC);
    expect(forced.stdout.replace(/\u001b\[\d+m/g, '')).toBe(noFlag.stdout);
    expect(jsonForced.stdout).not.toContain(ESC);
    expect(json(jsonForced).summary.exports).toBe(1);
  });

  it('keeps stdout for the report: what the module prints goes to stderr', async () => {
    const run = await clonecheck(['fixtures/chatty.ts', '--format', 'json']);
    const report = json(run);
    expect(report.modules[0]!.exports).toEqual([
      { name: 'status', obtained: 'value', lossless: { worker: true, fork: true, 'fork-advanced': true }, counts: { throws: 0, dropped: 0, changed: 0, note: 0 }, failing: 0, truncated: false, findings: [] },
    ]);
    expect(report.summary).toMatchObject({ findings: 0, failing: 0, exitCode: 0 });
    expect(run.stderr).toBe('connecting to the queue...\nconnected\n');
    expect(run.code).toBe(0);
  });
});

describe.concurrent('module formats', { timeout: 30_000 }, () => {
  it('loads .tsx with the nearest tsconfig.json (JSX factory, paths), .mts, .mjs and .js', async () => {
    const run = await clonecheck(['fixtures/formats/widget.tsx', 'fixtures/formats/tool.mts', 'fixtures/formats/plain.mjs', 'fixtures/formats/plain.js', '--format', 'json']);
    const report = json(run);
    expect(report.modules.map((m) => [m.file, m.exports.map((e) => e.name)])).toEqual([
      ['fixtures/formats/widget.tsx', ['button']],
      ['fixtures/formats/tool.mts', ['tool']],
      ['fixtures/formats/plain.mjs', ['point']],
      ['fixtures/formats/plain.js', ['default']],
    ]);
    // The element came from the fixture's own JSX factory, reached through the #ui/* path alias.
    expect(codesOf(report, 'button')).toEqual(['worker:FUNCTION_NOT_CLONEABLE:$.props.onClick', 'fork:FUNCTION_DROPPED:$.props.onClick', 'fork-advanced:FUNCTION_NOT_CLONEABLE:$.props.onClick']);
    expect(codesOf(report, 'point')).toEqual(['fork:NUMBER_NOT_JSON:$.y']);
    expect(codesOf(report, 'default')).toEqual(['fork:UNDEFINED_DROPPED:$.missing']);
    const symbolKey = report.modules[1]!.exports[0]!.findings[0]!;
    expect(symbolKey).toMatchObject({ code: 'SYMBOL_KEY_DROPPED', at: '$[Symbol(internal)]', path: [{ kind: 'symbol', description: 'internal' }] });
  });

  it('loads CommonJS: named exports when Node finds them, else module.exports as the default', async () => {
    const run = await clonecheck(['fixtures/formats/legacy.cjs', 'fixtures/formats/whole.cjs', 'fixtures/formats/config.cts', '--format', 'json', '-c', 'fork']);
    const report = json(run);
    expect(report.modules.map((m) => m.exports.map((e) => e.name))).toEqual([['retryAt', 'settings'], ['default'], ['default', 'limits']]);
    expect(codesOf(report, 'retryAt')).toEqual(['fork:DATE_BECOMES_STRING:$']);
    expect(report.modules[1]!.exports[0]!.findings.map((f) => f.at)).toEqual(['$.until']);
    // A .cts file's exports are those of its source: no __esModule flag, no getters.
    expect(report.modules[2]!.exports.map((e) => e.findings.map((f) => `${f.code}:${f.at}`))).toEqual([[], ['BIGINT_NOT_JSON:$.bytes']]);
  });
});

describe.concurrent('--format json', { timeout: 30_000 }, () => {
  it('prints one versioned document with every finding as data, and nothing else', async () => {
    const run = await clonecheck(['fixtures/job-payload.ts', 'fixtures/cache.ts', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = json(run);
    expect(Object.keys(report)).toEqual(['version', 'tool', 'node', 'options', 'modules', 'summary']);
    expect(report.version).toBe(1);
    expect(report.tool).toEqual({ name: 'clonecheck', version: VERSION });
    expect(report.node).toBe(process.versions.node);
    expect(report.options).toEqual({ channels: ['worker', 'fork', 'fork-advanced'], failOn: ['throws', 'dropped', 'changed'], call: false, await: false, verify: false });
    expect(report.modules.map((m) => [m.file, m.path])).toEqual([
      ['fixtures/job-payload.ts', join(ROOT, 'fixtures', 'job-payload.ts')],
      ['fixtures/cache.ts', join(ROOT, 'fixtures', 'cache.ts')],
    ]);
    const exp = report.modules[0]!.exports[0]!;
    expect(Object.keys(exp)).toEqual(['name', 'obtained', 'lossless', 'counts', 'failing', 'truncated', 'findings']);
    const expected = check(job);
    expect(exp).toMatchObject({ name: 'job', obtained: 'value', lossless: { worker: false, fork: false, 'fork-advanced': false }, truncated: false });
    expect(exp.findings).toEqual(JSON.parse(JSON.stringify(expected.findings)) as unknown);
    for (const f of exp.findings) expect(Object.keys(f)).toEqual(['channel', 'effect', 'code', 'path', 'at', 'message', 'hint', 'args']);
    const loaders = report.modules[1]!.exports.find((e) => e.name === 'loaders')!;
    expect(loaders.findings[0]).toMatchObject({ channel: 'worker', path: [{ kind: 'map-value', index: 0 }], at: '$.get("user")' });

    const all = report.modules.flatMap((m) => m.exports);
    const sum = (key: string) => all.reduce((n, e) => n + e.counts[key]!, 0);
    expect(report.summary).toEqual({
      modules: 2,
      exports: 5,
      findings: all.reduce((n, e) => n + e.findings.length, 0),
      counts: { throws: sum('throws'), dropped: sum('dropped'), changed: sum('changed'), note: sum('note') },
      failing: all.reduce((n, e) => n + e.failing, 0),
      disagreements: null,
      exitCode: 1,
    });
  });

});

describe.concurrent('--verify', { timeout: 60_000 }, () => {
  it('sends each export through a real Worker and forked children, and agrees with the prediction', async () => {
    const [human, asJson] = await Promise.all([
      clonecheck(['fixtures/job-payload.ts', 'fixtures/clean-message.ts', '--verify']),
      clonecheck(['fixtures/job-payload.ts', 'fixtures/cache.ts', '-e', 'job', '-e', 'cache', '-c', 'worker,fork-advanced', '--verify', '--format', 'json']),
    ]);
    expect(human.stdout).toMatch(/\nverify \(real sends\):\n {2}worker {9}agrees: threw DataCloneError: .*\n {2}fork {11}agrees: arrived with 3 differences\n {2}fork-advanced {2}agrees: threw /);
    expect(human.stdout).toContain('export message (fixtures/clean-message.ts): lossless on worker, fork, fork-advanced\nverify: arrived the same on worker, fork, fork-advanced, as predicted\n');
    expect(human.stdout).toMatch(/ Verified: 9 real sends agree with the prediction\.\n$/);
    expect(human.code).toBe(1);

    const report = json(asJson);
    expect(report.options.verify).toBe(true);
    expect(report.modules.map((m) => m.exports[0]!.verify)).toEqual([
      [
        { channel: 'worker', outcome: 'threw', error: expect.stringMatching(/^DataCloneError: /), agrees: true, disagreements: [] },
        { channel: 'fork-advanced', outcome: 'threw', error: expect.any(String), agrees: true, disagreements: [] },
      ],
      [
        { channel: 'worker', outcome: 'arrived', differences: 0, agrees: true, disagreements: [] },
        { channel: 'fork-advanced', outcome: 'arrived', differences: 0, agrees: true, disagreements: [] },
      ],
    ]);
    expect(report.summary.disagreements).toBe(0);
    expect(asJson.code).toBe(1);
  });
});

describe.concurrent('bad input: exit 2 and one clear line', { timeout: 30_000 }, () => {
  let dir = '';
  beforeAll(() => {
    // A TypeScript syntax error cannot live in fixtures/: the repository's typecheck reads every .ts there.
    dir = mkdtempSync(join(tmpdir(), 'clonecheck-cli-'));
    writeFileSync(join(dir, 'syntax-error.ts'), 'export const job: { id: number } = {\n  id: 1,\n  retries: ,\n};\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file, a directory, an unsupported file type', async () => {
    const [missing, directory, unsupported] = await Promise.all([
      clonecheck(['fixtures/no-such-module.ts']),
      clonecheck(['fixtures']),
      clonecheck(['fixtures/bad/settings.json']),
    ]);
    expectOneLineError(missing, 'clonecheck: fixtures/no-such-module.ts: no such file');
    expectOneLineError(directory, 'clonecheck: fixtures: is a directory, not a module');
    expectOneLineError(unsupported, 'clonecheck: fixtures/bad/settings.json: clonecheck loads .ts, .mts, .cts, .tsx, .js, .mjs, .cjs files, not .json');
  });

  it('a syntax error, with file:line:col, in TypeScript, in JavaScript and in an imported module', async () => {
    const [ts, js, dependency] = await Promise.all([
      clonecheck([join(dir, 'syntax-error.ts')]),
      clonecheck(['fixtures/bad/syntax-error.mjs']),
      clonecheck(['fixtures/bad/broken-import.ts']),
    ]);
    expectOneLineError(ts, `clonecheck: ${join(dir, 'syntax-error.ts')}:3:12: syntax error: Unexpected ","`);
    expectOneLineError(js, "clonecheck: fixtures/bad/syntax-error.mjs:3:13: syntax error: Unexpected token ','");
    expectOneLineError(dependency, "clonecheck: fixtures/bad/broken-dependency.mjs:3:3: syntax error: Unexpected identifier 'maxRetries'");
  });

  it("a module that throws on import: its error, located in the user's file", async () => {
    expectOneLineError(
      await clonecheck(['fixtures/bad/throws-on-import.ts']),
      'clonecheck: fixtures/bad/throws-on-import.ts: threw while loading: Error: QUEUE_URL is not set (at fixtures/bad/throws-on-import.ts:3:19)',
    );
  });

  it('a module that calls process.exit() on import', async () => {
    const run = await clonecheck(['fixtures/bad/exits-on-import.ts']);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: 'TOKEN is required\nclonecheck: fixtures/bad/exits-on-import.ts: called process.exit(1) while loading\n' });
  });

  it('a module whose import cannot be found', async () => {
    expectOneLineError(
      await clonecheck(['fixtures/bad/missing-import.ts']),
      "clonecheck: fixtures/bad/missing-import.ts: cannot be loaded: Cannot find package 'clonecheck-fixture-no-such-package' imported from fixtures/bad/missing-import.ts",
    );
  });

  it('a module that never settles, after --timeout', async () => {
    const run = await clonecheck(['fixtures/bad/never-settles.ts', '--timeout', '300']);
    expectOneLineError(run, 'clonecheck: fixtures/bad/never-settles.ts: did not finish loading within 300 ms (a top-level await that never settles?); use --timeout to wait longer');
    expect(run.ms).toBeLessThan(10_000);
  });

  it('a factory that throws under --call, a Promise that rejects under --await', async () => {
    const [call, rejected] = await Promise.all([clonecheck(['fixtures/bad/call-throws.ts', '--call']), clonecheck(['fixtures/bad/rejects.ts', '--await'])]);
    expectOneLineError(call, 'clonecheck: fixtures/bad/call-throws.ts: export makeClient() threw when called: Error: no credentials in the environment (at fixtures/bad/call-throws.ts:2:9)');
    expectOneLineError(rejected, 'clonecheck: fixtures/bad/rejects.ts: export config rejected: Error: config server unreachable (at fixtures/bad/rejects.ts:2:9)');
  });

  it('an unknown export', async () => {
    expectOneLineError(await clonecheck(['fixtures/job-payload.ts', '--export', 'jobs']), 'clonecheck: fixtures/job-payload.ts has no export named "jobs" (exports: job, queue)');
  });

  it('usage errors: no file, an unknown flag, a bad value', async () => {
    const runs = await Promise.all([
      clonecheck([]),
      clonecheck(['fixtures/job-payload.ts', '--verbose']),
      clonecheck(['fixtures/job-payload.ts', '--channel', 'ipc']),
      clonecheck(['fixtures/job-payload.ts', '--fail-on', 'sometimes']),
      clonecheck(['fixtures/job-payload.ts', '--format', 'xml']),
      clonecheck(['fixtures/job-payload.ts', '--timeout', 'soon']),
      clonecheck(['fixtures/job-payload.ts', '--export']),
    ]);
    const lines = [
      'clonecheck: no module given (see clonecheck --help)',
      'clonecheck: Unknown argument: verbose (see clonecheck --help)',
      'clonecheck: --channel: unknown channel "ipc"; use worker, fork, fork-advanced (see clonecheck --help)',
      'clonecheck: --fail-on: unknown effect "sometimes"; use throws, dropped, changed, note or none (see clonecheck --help)',
      /^clonecheck: Invalid values: Argument: format, Given: "xml", Choices: "human", "json" \(see clonecheck --help\)$/,
      'clonecheck: --timeout needs a positive number of milliseconds (see clonecheck --help)',
      /^clonecheck: .*export.* \(see clonecheck --help\)$/,
    ];
    runs.forEach((run, i) => expectOneLineError(run, lines[i]!));
  });
});

describe.concurrent('--help and --version', { timeout: 30_000 }, () => {
  it('--help shows usage, real examples, exit codes, and that the module is executed', async () => {
    const run = await clonecheck(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^clonecheck <file\.\.\.> \[options\]\n/);
    for (const flag of ['--export', '--channel', '--fail-on', '--call', '--await', '--verify', '--format', '--timeout', '--color', '--help', '--version']) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('clonecheck fixtures/job-payload.ts');
    expect(run.stdout).toContain('clonecheck executes each module');
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
  });

  it('--version prints the package version', async () => {
    const run = await clonecheck(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});
