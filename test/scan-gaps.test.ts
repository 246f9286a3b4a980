// What the scan once got wrong or left unsaid: a Worker, ChildProcess, EventEmitter or socket sent as
// data (lossless by its type, while every channel strips its prototype), a @clonecheck tag that
// names no parameter or cannot be read, v8's Serializer.writeValue().
import { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize, Serializer } from 'node:v8';
import { open, type FileHandle } from 'node:fs/promises';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/index.js';
import { scan, type ScanResult } from '../src/scan/index.js';
import type { Subject } from '../src/report/subject.js';
import { ALL_CHANNELS, type Channel } from '../src/types.js';

const typesRoot = fileURLToPath(new URL('../node_modules/@types', import.meta.url));
const summary = (s: Subject): string[] => s.findings.map((f) => `${f.channel} ${f.code} ${f.at}`).sort();

describe('scan: gaps closed', () => {
  let dir: string;
  let result: ScanResult;
  const site = (marker: string): Subject => {
    const line =
      readFileSync(join(dir, 'gaps.ts'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(`// ${marker}`)) + 1;
    const found = result.subjects.find((s) => s.file === 'gaps.ts' && s.line === line);
    if (!found) throw new Error(`no subject on the line marked ${marker} (${line}): ${result.subjects.map((s) => `${s.line} ${s.name}`).join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clonecheck-scan-gaps-'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          typeRoots: [typesRoot],
          noEmit: true,
        },
        include: ['*.ts'],
      }),
    );
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'piscina.d.ts'),
      "declare module 'piscina' { export class Piscina { constructor(options: { filename: string }); run(task: unknown): Promise<unknown>; } }\n",
    );
    writeFileSync(
      join(dir, 'task.ts'),
      `export class Thumb { size = 1; scale(): number { return this.size; } }
export default async function resize(job: { size: number }) { // task
  return { at: new Date(), thumb: new Thumb(), done: () => job.size };
}
`,
    );
    writeFileSync(
      join(dir, 'gaps.ts'),
      `import { Worker } from 'node:worker_threads';
import { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { Stats } from 'node:fs';
import * as v8 from 'node:v8';
import { Piscina } from 'piscina';
declare function send(/** @clonecheck ${ALL_CHANNELS.join(' ')} */ value: unknown): void;
declare const worker: Worker;
declare const child: ChildProcess;
declare const emitter: EventEmitter;
declare const socket: Socket;
send(worker); // worker
send(child); // child
send(emitter); // emitter
send({ socket }); // socket
declare const channel: MessageChannel;
declare const stats: Stats;
send(channel); // message-channel
send(stats); // stats
/** @clonecheck worker */
function dispatch(target: Worker, job: { at: Date }): void { target.postMessage(job); }
dispatch(worker, { at: new Date() }); // first-parameter
/** @clonecheck worker job */
function dispatchJob(target: Worker, job: { run: () => void }): void { target.postMessage(job); }
dispatchJob(worker, { run: () => {} }); // named-parameter
/** @clonecheck wroker job */ // typo-channel
function misspelt(job: object): void { void job; }
misspelt({});
/** @clonecheck worker jbo */ // typo-parameter
function misnamed(job: object): void { void job; }
misnamed({});
function inline(/** @clonecheck forked */ job: object): void { void job; } // typo-inline
inline({});
/** Hands the job on; the @clonecheck tag of its caller says where to. */
function prose(job: object): void { void job; }
prose({});
new v8.Serializer().writeValue({ f() {} }); // write-value
type Maybe<T> = T | undefined;
declare function store(/** @clonecheck json */ record: unknown): void;
declare const progress: { onProgress?: (pct: number) => void; retries?: number; note?: string | undefined; alias?: Maybe<number>; list?: (string | undefined)[] };
store(progress); // optional
new Piscina({ filename: new URL('./task.js', import.meta.url).href });
JSON.stringify({ at: new Date(), n: 1n, skip: undefined as string | undefined }); // stringify
JSON.stringify({ at: new Date() }, (_key, value: unknown) => value); // stringify-replacer
export function sendId<T extends string>(id: T & { __brand: 'user' }, at: Date): void { send({ id, at }); } // generic-brand
declare const handle: import('node:fs/promises').FileHandle;
send({ handle }); // file-handle
new MessageChannel().port1.postMessage({ handle }, [handle]); // file-handle-moved
`,
    );
    result = await scan({ cwd: dir });
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a Worker, ChildProcess, EventEmitter or socket sent as data loses its prototype on every channel, as check() of a real one says', async () => {
    const worker = new Worker('', { eval: true });
    try {
      const real: Record<string, unknown> = { worker, child: new ChildProcess(), emitter: new EventEmitter(), socket: { socket: new Socket() } };
      for (const marker of ['worker', 'child', 'emitter', 'socket']) {
        const subject = site(marker);
        const at = marker === 'socket' ? '$.socket' : '$';
        // Each channel: the prototype is lost.
        expect(summary(subject)).toEqual(ALL_CHANNELS.map((c) => `${c} PROTOTYPE_LOST ${at}`).sort());
        // And each prediction is one of check()'s findings on the real object.
        const actual = check(real[marker], { channels: ALL_CHANNELS }).findings;
        for (const f of subject.findings) {
          expect(actual.some((a) => a.channel === f.channel && a.code === f.code && a.at === f.at)).toBe(true);
        }
      }
      expect(site('worker').findings[0]!.message).toMatch(/^An instance of Worker arrives as a plain object, without its methods \(.*postMessage/);
      // The real channels: structured clone and v8 give a plain object, JSON too.
      const emitter = new EventEmitter();
      expect(Object.getPrototypeOf(structuredClone(emitter))).toBe(Object.prototype);
      expect(Object.getPrototypeOf(deserialize(serialize(emitter)))).toBe(Object.prototype);
      expect(Object.getPrototypeOf(JSON.parse(JSON.stringify({ ...emitter, _events: {} })))).toBe(Object.prototype);
    } finally {
      await worker.terminate();
    }
  });

  it("another class of Node's declarations loses its prototype, and its own data is judged as any object's", async () => {
    const { MessageChannel: RealChannel } = await import('node:worker_threads');
    const { statSync } = await import('node:fs');
    const channel = new RealChannel();
    try {
      for (const [marker, value] of [
        ['message-channel', channel],
        ['stats', statSync('.')],
      ] as const) {
        const subject = site(marker);
        const actual = check(value, { channels: ALL_CHANNELS }).findings;
        for (const c of ALL_CHANNELS) expect(summary(subject)).toContain(`${c} PROTOTYPE_LOST $`);
        for (const f of subject.findings)
          expect(
            actual.some((a) => a.channel === f.channel && a.code === f.code && a.at === f.at),
            `${marker}: ${f.channel} ${f.code} ${f.at} is not what check() finds in the value`,
          ).toBe(true);
      }
      // A MessageChannel's ports need the transferList.
      expect(summary(site('message-channel'))).toEqual(expect.arrayContaining(['worker TRANSFER_REQUIRED $.port1', 'worker TRANSFER_REQUIRED $.port2']));
      // A Stats' dates become strings through JSON where they are its own data (Node 20); from Node 22
      // they are accessors of Stats.prototype, and nothing arrives for them: the running line's Stats says which.
      const dates = ['fork DATE_BECOMES_STRING $.mtime', 'json DATE_BECOMES_STRING $.atime'];
      if (Object.getOwnPropertyDescriptor(statSync('.'), 'atime')?.value instanceof Date) expect(summary(site('stats'))).toEqual(expect.arrayContaining(dates));
      else for (const d of dates) expect(summary(site('stats'))).not.toContain(d);
    } finally {
      channel.port1.close();
    }
  });

  it('a tag that names no parameter checks the first, and every call site says so when there are several', () => {
    const first = site('first-parameter');
    expect(first).toMatchObject({ name: 'dispatch() target', channels: ['worker'] as Channel[] });
    expect(first.note).toMatch(/names no parameter, so its first, target, is checked; name the one that is sent \(@clonecheck worker <parameter>\)/);
    expect(summary(first)).toEqual(['worker PROTOTYPE_LOST $']);
    const named = site('named-parameter');
    expect(named).toMatchObject({ name: 'dispatchJob() job', channels: ['worker'] as Channel[] });
    expect(named.note).toBeUndefined();
    expect(summary(named)).toEqual(['worker FUNCTION_NOT_CLONEABLE $.run']);
  });

  it('a tag that cannot be read is an error at the tag, not a send left unchecked', () => {
    expect(site('typo-channel')).toMatchObject({
      name: 'misspelt() @clonecheck',
      channels: [],
      error: expect.stringMatching(/names no channel \("wroker" is not one\): write one of worker, fork, fork-advanced, json, v8/),
    });
    expect(site('typo-parameter').error).toMatch(/names "jbo", which is neither a channel .* nor a parameter of misnamed\(\) \(job\)/);
    expect(site('typo-inline').error).toMatch(/@clonecheck on job of inline\(\) names no channel \("forked" is not one\)/);
    // \`@clonecheck\` in the middle of a sentence is prose, not a tag.
    expect(result.subjects.filter((s) => s.error !== undefined)).toHaveLength(3);
    // In source order among the sites of the file.
    const lines = result.subjects.filter((s) => s.file === 'gaps.ts').map((s) => s.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('an optional member is judged for undefined only when its type says undefined itself, not inside a function or an array', () => {
    expect(summary(site('optional'))).toEqual([
      'json ARRAY_ELEMENT_BECOMES_NULL $.list[*]',
      'json FUNCTION_DROPPED $.onProgress',
      'json UNDEFINED_DROPPED $.alias',
      'json UNDEFINED_DROPPED $.note',
    ]);
    // The same as check() of the values the type allows, each member present with its worst value.
    const actual = check({ onProgress: () => {}, retries: 1, note: undefined, alias: undefined, list: [undefined] }, { channels: ['json'] }).findings;
    expect(actual.map((f) => `${f.channel} ${f.code} ${f.at.replace('[0]', '[*]')}`).sort()).toEqual(summary(site('optional')));
  });

  it('JSON.stringify() is a json send, reported only when json is asked for', async () => {
    const lineOf = (marker: string): number =>
      readFileSync(join(dir, 'gaps.ts'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(`// ${marker}`)) + 1;
    expect(result.subjects.filter((s) => s.line === lineOf('stringify') || s.line === lineOf('stringify-replacer'))).toEqual([]);
    const json = await scan({ cwd: dir, channels: ['json'] });
    const plain = json.subjects.find((s) => s.line === lineOf('stringify'))!;
    expect(plain).toMatchObject({ name: 'JSON.stringify()', channels: ['json'] as Channel[] });
    const actual = check({ at: new Date(), n: 1n, skip: undefined }, { channels: ['json'] }).findings;
    expect(summary(plain)).toEqual(actual.map((f) => `${f.channel} ${f.code} ${f.at}`).sort());
    expect(summary(plain)).toEqual(['json BIGINT_NOT_JSON $.n', 'json DATE_BECOMES_STRING $.at', 'json UNDEFINED_DROPPED $.skip']);
    expect(() => JSON.stringify({ n: 1n })).toThrow(/BigInt/);
    expect(json.subjects.find((s) => s.line === lineOf('stringify-replacer'))!.note).toMatch(/a replacer may write some values otherwise/);
    // Only json: the other sites are left out (a tag that cannot be read is reported whatever the channels).
    expect(json.subjects.filter((s) => s.error === undefined).every((s) => s.channels.length === 1 && s.channels[0] === 'json')).toBe(true);
  }, 60_000);

  it("a worker pool's task module sends back what its function returns", () => {
    const task = result.subjects.find((s) => s.file === 'task.ts')!;
    expect(task).toMatchObject({ name: 'resize() return value', line: 2, channels: ['worker'] as Channel[] });
    class Thumb {
      size = 1;
      scale(): number {
        return this.size;
      }
    }
    const returned = { at: new Date(), thumb: new Thumb(), done: () => 1 };
    expect(summary(task)).toEqual(
      check(returned, { channels: ['worker'] })
        .findings.map((f) => `${f.channel} ${f.code} ${f.at}`)
        .sort(),
    );
    expect(summary(task)).toEqual(['worker FUNCTION_NOT_CLONEABLE $.done', 'worker PROTOTYPE_LOST $.thumb']);
    expect(() => structuredClone(returned)).toThrow(/could not be cloned/);
  });

  it("a branded type parameter is judged by its constraint: a string at run time, not an object with String's methods", () => {
    const actual = check({ id: 'u1', at: new Date() }, { channels: ALL_CHANNELS }).findings;
    expect(summary(site('generic-brand'))).toEqual(actual.map((f) => `${f.channel} ${f.code} ${f.at}`).sort());
    expect(summary(site('generic-brand'))).toEqual(['fork DATE_BECOMES_STRING $.at', 'json DATE_BECOMES_STRING $.at']);
  });

  it('a FileHandle needs the transferList on a worker send and is moved by it; v8.serialize() refuses it: as real sends say', async () => {
    // fs/promises exports no FileHandle class: the registry knows its values by their class's name.
    expect(summary(site('file-handle'))).toEqual(
      [
        'worker TRANSFER_REQUIRED $.handle',
        'fork HOST_OBJECT_BECOMES_OBJECT $.handle',
        'fork-advanced HOST_OBJECT_BECOMES_OBJECT $.handle',
        'json HOST_OBJECT_BECOMES_OBJECT $.handle',
        'v8 UNCLONEABLE_TYPE $.handle',
      ].sort(),
    );
    expect(summary(site('file-handle-moved'))).toEqual(['worker TRANSFERRED $.handle']);
    const handle = await open(fileURLToPath(import.meta.url));
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => port1.postMessage({ handle })).toThrow(/not listed in transferList/);
      expect(() => serialize({ handle })).toThrow();
      port1.postMessage({ handle }, [handle]);
      const arrived = (receiveMessageOnPort(port2)?.message as { handle: FileHandle } | undefined)?.handle;
      expect(arrived?.constructor.name).toBe('FileHandle');
      await arrived?.close();
    } finally {
      port1.close();
    }
  });

  it("v8's Serializer.writeValue() is a v8 send", () => {
    expect(site('write-value')).toMatchObject({ channels: ['v8'] as Channel[] });
    expect(summary(site('write-value'))).toEqual(['v8 FUNCTION_NOT_CLONEABLE $.f']);
    expect(() => new Serializer().writeValue({ f() {} })).toThrow(/could not be cloned/);
  });
});

describe('scan: a project without Node type declarations', () => {
  it("fails with a message naming @types/node when a file imports a Node module that sends, instead of '0 send sites'", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-scan-notypes-'));
    try {
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { allowJs: true, checkJs: true, noEmit: true, types: [] }, include: ['*.js'] }),
      );
      writeFileSync(join(dir, 'a.js'), "import { Worker } from 'node:worker_threads';\nnew Worker('./w.js', { workerData: { f: () => 1 } });\n");
      await expect(scan({ cwd: dir })).rejects.toThrow(
        /a\.js imports worker_threads, but Node's type declarations are not installed.*npm install --save-dev @types\/node/,
      );
      // With no import of a sending module, a project without them scans as before.
      writeFileSync(join(dir, 'a.js'), 'export const x = structuredClone({ a: 1 });\n');
      await expect(scan({ cwd: dir })).resolves.toMatchObject({ files: ['a.js'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
