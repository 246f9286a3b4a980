import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan, type ScanResult } from '../src/scan/index.js';
import type { Subject } from '../src/report/subject.js';

const fixture = fileURLToPath(new URL('../fixtures/scan-project/', import.meta.url));
const typesRoot = fileURLToPath(new URL('../node_modules/@types', import.meta.url));

/** The 1-based line and column of the first occurrence of `marker` in a fixture file, plus `offset` characters. */
function locate(file: string, marker: string, offset = 0): { line: number; column: number } {
  const text = readFileSync(join(fixture, 'src', file), 'utf8');
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`${marker} is not in ${file}`);
  const before = text.slice(0, index + offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function siteAt(result: ScanResult, file: string, marker: string, offset = 0): Subject {
  const { line, column } = locate(file, marker, offset);
  const subject = result.subjects.find((s) => s.file === `src/${file}` && s.line === line && s.column === column);
  if (!subject)
    throw new Error(`no send site at src/${file}:${line}:${column}; sites: ${result.subjects.map((s) => `${s.file}:${s.line}:${s.column}`).join(', ')}`);
  return subject;
}

const summary = (s: Subject): string[] => s.findings.map((f) => `${f.channel} ${f.code} ${f.at}`).sort();

describe('clonecheck scan on the fixture project', () => {
  let result: ScanResult;
  const marker = join(fixture, 'SCAN-RAN.txt');

  beforeAll(async () => {
    rmSync(marker, { force: true });
    result = await scan({ cwd: fixture });
  }, 60_000);

  it('never runs the code it reads (src/boom.ts would write a file and throw)', () => {
    expect(result.files).toContain('src/boom.ts');
    expect(siteAt(result, 'boom.ts', 'postMessage(', 0).findings.map((f) => f.code)).toEqual(['FUNCTION_NOT_CLONEABLE']);
    expect(existsSync(marker)).toBe(false);
  });

  it('reads the project through its tsconfig.json', () => {
    expect(result.project).toBe('tsconfig.json');
    expect(result.files).toEqual(expect.arrayContaining(['src/main.ts', 'src/worker.ts', 'src/child.ts', 'src/queue.ts', 'src/model.ts']));
  });

  it('lists each planted problem at its file:line:col with its path', () => {
    const workerData = siteAt(result, 'main.ts', 'new Worker(workerFile');
    expect(workerData).toMatchObject({ kind: 'send-site', name: 'new Worker() workerData', channels: ['worker'] });
    expect(summary(workerData)).toEqual(['worker PRIVATE_FIELDS_DROPPED $.job.customer', 'worker PROTOTYPE_LOST $.job.customer']);

    const post = siteAt(result, 'main.ts', 'postMessage({ job })');
    expect(summary(post)).toEqual([
      'worker FUNCTION_NOT_CLONEABLE $.job.onDone',
      'worker PRIVATE_FIELDS_DROPPED $.job.customer',
      'worker PROTOTYPE_LOST $.job.customer',
    ]);
    const onDone = post.findings.find((f) => f.code === 'FUNCTION_NOT_CLONEABLE')!;
    expect(onDone).toMatchObject({ effect: 'throws', severity: 'throw', path: ['job', 'onDone'] });
    expect(onDone.message).toMatch(/cannot be copied by structured clone/);

    expect(summary(siteAt(result, 'main.ts', 'postMessage(report)'))).toEqual([
      'worker ERROR_PROPERTY_DROPPED $.error.status',
      'worker ERROR_TYPE_CHANGED $.error',
    ]);
    expect(summary(siteAt(result, 'main.ts', 'send(report)'))).toEqual([
      'fork DATE_BECOMES_STRING $.finishedAt',
      'fork ERROR_BECOMES_OBJECT $.error',
      'fork MAP_BECOMES_OBJECT $.totals',
    ]);
    expect(summary(siteAt(result, 'main.ts', 'send({ job: {'))).toEqual([
      'fork-advanced PRIVATE_FIELDS_DROPPED $.job.customer',
      'fork-advanced PROTOTYPE_LOST $.job.customer',
    ]);
    expect(summary(siteAt(result, 'main.ts', 'pool.run({', 5))).toEqual(['worker PRIVATE_FIELDS_DROPPED $.customer', 'worker PROTOTYPE_LOST $.customer']);
    expect(summary(siteAt(result, 'main.ts', 'structuredClone({ id'))).toEqual([
      'worker ERROR_PROPERTY_DROPPED $.error.status',
      'worker ERROR_TYPE_CHANGED $.error',
    ]);
    expect(summary(siteAt(result, 'worker.ts', 'postMessage('))).toEqual(['worker PRIVATE_FIELDS_DROPPED $.from', 'worker PROTOTYPE_LOST $.from']);
  });

  it('takes the channel of child.send() from the fork() options, and of process.send() from the fork() calls of that file', () => {
    expect(siteAt(result, 'main.ts', 'send(report)').channels).toEqual(['fork']);
    expect(siteAt(result, 'main.ts', 'send({ job: {').channels).toEqual(['fork-advanced']);
    const reply = siteAt(result, 'child.ts', 'send?.(reply)');
    expect(reply.channels).toEqual(['fork', 'fork-advanced']);
    expect(reply.note).toBeUndefined();
    // cluster.setupPrimary({ serialization: 'advanced' }) gives the cluster worker's send() its channel
    const clustered = siteAt(result, 'main.ts', 'clustered.send({', 'clustered.'.length);
    expect(clustered.channels).toEqual(['fork-advanced']);
    expect(summary(clustered)).toEqual(['fork-advanced PRIVATE_FIELDS_DROPPED $.customer', 'fork-advanced PROTOTYPE_LOST $.customer']);
    expect(summary(reply)).toEqual([
      'fork BIGINT_NOT_JSON $.big',
      'fork DATE_BECOMES_STRING $.at',
      'fork PRIVATE_FIELDS_DROPPED $.by',
      'fork PROTOTYPE_LOST $.by',
      'fork-advanced PRIVATE_FIELDS_DROPPED $.by',
      'fork-advanced PROTOTYPE_LOST $.by',
    ]);
  });

  it("finds the wrapper's call sites through its @clonecheck tag, and says the wrapper's own send cannot be judged from T", () => {
    expect(siteAt(result, 'main.ts', "sendJob(port1, { kind: 'retry'")).toMatchObject({ name: 'sendJob() job', channels: ['worker'] });
    expect(summary(siteAt(result, 'main.ts', "sendJob(port1, { kind: 'retry'"))).toEqual(['worker FUNCTION_NOT_CLONEABLE $.retry']);
    expect(summary(siteAt(result, 'main.ts', "sendJob(port1, { kind: 'cancel'"))).toEqual([
      'worker ERROR_PROPERTY_DROPPED $.reason.status',
      'worker ERROR_TYPE_CHANGED $.reason',
    ]);
    const inner = siteAt(result, 'queue.ts', 'postMessage(job)');
    expect(inner.findings).toEqual([]);
    expect(inner.note).toMatch(/cannot tell from the type at \$ \(T\)/);
  });

  it("finds sends by symbol, not by name: the application's own send() and postMessage() are not sites", () => {
    expect(result.subjects.filter((s) => s.file === 'src/lookalike.ts')).toEqual([]);
  });

  it('narrows to the channels asked for, and to the paths asked for', async () => {
    const narrowed = await scan({ cwd: fixture, paths: ['src/child.ts'], channels: ['fork-advanced'] });
    expect(narrowed.files).toEqual(['src/child.ts']);
    expect(narrowed.subjects.every((s) => s.channels.length === 1 && s.channels[0] === 'fork-advanced')).toBe(true);
    expect(narrowed.subjects.flatMap(summary)).toEqual(['fork-advanced PRIVATE_FIELDS_DROPPED $.by', 'fork-advanced PROTOTYPE_LOST $.by']);
  }, 60_000);

  it('moves ignored findings aside: codes, path patterns and classes', async () => {
    const ignoring = await scan({ cwd: fixture, paths: ['src/child.ts'], ignore: ['BIGINT_NOT_JSON', '$.at', 'class:Customer'] });
    const reply = ignoring.subjects.find((s) => s.findings.length + s.ignored.length > 0)!;
    expect(reply.findings).toEqual([]);
    expect(reply.ignored.map((f) => `${f.channel} ${f.code}`).sort()).toEqual([
      'fork BIGINT_NOT_JSON',
      'fork DATE_BECOMES_STRING',
      'fork PRIVATE_FIELDS_DROPPED',
      'fork PROTOTYPE_LOST',
      'fork-advanced PRIVATE_FIELDS_DROPPED',
      'fork-advanced PROTOTYPE_LOST',
    ]);
  }, 60_000);

  it('rejects an unknown target or channel, naming the known ones', async () => {
    await expect(scan({ cwd: fixture, target: 'node19' })).rejects.toThrow(
      new TypeError('clonecheck: scan(): unknown target "node19" (did you mean "node20"?); use one of "node20", "node22", "node24", "node26"'),
    );
    await expect(scan({ cwd: fixture, channels: ['http' as never] })).rejects.toThrow(
      /unknown channel "http" in channels; use one of "worker", "fork", "fork-advanced", "json", "v8"/,
    );
  });
});

/** Type rules, one send per rule, in a throwaway project. */
describe('scan: types to findings', () => {
  let dir: string;
  let result: ScanResult;
  const site = (name: string): Subject => {
    const line =
      readFileSync(join(dir, 'rules.ts'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(`// ${name}`)) + 1;
    const found = result.subjects.find((s) => s.file === 'rules.ts' && s.line === line);
    if (!found) throw new Error(`no site on the line marked ${name} (${line})`);
    return found;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clonecheck-scan-'));
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
          lib: ['ES2023', 'DOM'],
          allowJs: true,
          noEmit: true,
        },
        include: ['*.ts', '*.js'],
      }),
    );
    writeFileSync(
      join(dir, 'tinypool.d.ts'),
      "declare module 'tinypool' { export default class Tinypool { constructor(options: { filename: string }); run(task: unknown): Promise<unknown>; } }\n",
    );
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'plain.js'), "import { parentPort } from 'node:worker_threads';\nparentPort?.postMessage({ when: new Date(), cb: () => 1 });\n");
    writeFileSync(
      join(dir, 'rules.ts'),
      `import { BroadcastChannel, parentPort } from 'node:worker_threads';
import { fork, spawn } from 'node:child_process';
import * as v8 from 'node:v8';
import cluster from 'node:cluster';
import Tinypool from 'tinypool';
import { serialize as toBytes } from 'node:v8';
declare const port: NonNullable<typeof parentPort>;
const child = fork('./child.js');
interface Tree { value: number; children: Tree[]; parent?: Tree }
type Shape = { kind: 'circle'; r: number } | { kind: 'path'; at: Date; draw: () => void };
interface Box<T> { item: T }
const key = Symbol('key');
declare const anything: any;
declare const mystery: unknown;
declare const web: Worker;
child.send({ m: new Map<string, () => void>(), s: new Set<bigint>() }); // map-set
port.postMessage({ m: new Map<string, () => void>(), s: new Set<symbol>() }); // entries
child.send({ list: [{ when: new Date() }], pair: [1, () => 1] as [number, () => number] }); // arrays
child.send({ a: undefined as string | undefined, b: 1 as number | undefined }); // undefined
port.postMessage(null as unknown as Tree); // recursive
port.postMessage(null as unknown as Shape); // union
port.postMessage(null as unknown as Box<Promise<number>>); // generic
port.postMessage({ [key]: 1, n: 2 }); // symbol-key
child.send({ anything, mystery, data: {} as object }); // unknowable
structuredClone({ u: new URL('https://x'), h: new Headers(), weak: new WeakMap(), buf: Buffer.alloc(1), u8: new Uint8Array(1) }); // hosts
child.send(() => 1); // root-function
v8.serialize({ f() {}, sab: new SharedArrayBuffer(8) }); // v8
new BroadcastChannel('c').postMessage({ get g() { return 1; } }); // accessor
web.postMessage({ f: () => 1 }); // web-worker
if (cluster.isPrimary) cluster.fork().send({ at: new Date() }); // cluster
/** @clonecheck fork-advanced */
function saveJob(/** @clonecheck json */ job: unknown, extra: unknown): void { void job; void extra; }
saveJob({ at: new Date(), n: 1n }, { f: () => 1 }); // tagged-parameter
child.send({ cmd: 'NODE_PING' as const }); // swallowed
new Tinypool({ filename: 'w.js' }).run({ at: new Date(), f: () => 1 }); // tinypool
toBytes({ f() {} }); // alias
interface Queue {
  /** @clonecheck fork */
  push(job: object, priority: number): void;
}
declare const queue: Queue;
queue.push({ at: new Date() }, 1); // tagged-method
/** @clonecheck worker */
const enqueue = (job: unknown): void => void job;
enqueue({ cb: () => 1 }); // tagged-arrow
const spawned = spawn(process.execPath, ['child.js'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
spawned.send({ f: () => 1 }); // spawned
`,
    );
    result = await scan({ cwd: dir });
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Map and Set: JSON loses them whole; structured clone walks their entries', () => {
    expect(summary(site('map-set'))).toEqual(['fork MAP_BECOMES_OBJECT $.m', 'fork SET_BECOMES_OBJECT $.s']);
    expect(summary(site('entries'))).toEqual(['worker FUNCTION_NOT_CLONEABLE $.m.get(*)', 'worker SYMBOL_NOT_CLONEABLE $.s.values()[*]']);
    expect(site('entries').findings[0]!.path).toEqual(['m', { kind: 'map-value', index: -1 }]);
  });

  it('arrays by element ([*]), tuples by index, JSON nulls in arrays', () => {
    expect(summary(site('arrays'))).toEqual(['fork ARRAY_ELEMENT_BECOMES_NULL $.pair[1]', 'fork DATE_BECOMES_STRING $.list[*].when']);
  });

  it('undefined members on JSON (both fork channels when the child cannot be followed: here it can)', () => {
    expect(site('undefined').channels).toEqual(['fork']);
    expect(summary(site('undefined'))).toEqual(['fork UNDEFINED_DROPPED $.a', 'fork UNDEFINED_DROPPED $.b']);
  });

  it('recursive types terminate; optional members of a recursive type too', () => {
    expect(summary(site('recursive'))).toEqual([]);
  });

  it('unions member by member, generics as instantiated', () => {
    expect(summary(site('union'))).toEqual(['worker FUNCTION_NOT_CLONEABLE $.draw']);
    expect(summary(site('generic'))).toEqual(['worker UNCLONEABLE_TYPE $.item']);
  });

  it('symbol keys are dropped on every channel', () => {
    expect(summary(site('symbol-key'))).toEqual(['worker SYMBOL_KEY_DROPPED $[Symbol(key)]']);
  });

  it('any, unknown and object give one note each, never a guess', () => {
    const s = site('unknowable');
    expect(s.findings).toEqual([]);
    expect(s.note).toBe('cannot tell from the type at $.anything (any), $.mystery (unknown), $.data (object)');
  });

  it('host and built-in types with the rules of the running line', () => {
    // What the running line's structured clone does with a URL and a Headers decides: Node 20 sends
    // each as {}, later lines throw.
    const byRealClone = (value: object): string => {
      let arrived: unknown;
      try {
        arrived = structuredClone(value);
      } catch (e) {
        expect((e as Error).name).toBe('DataCloneError');
        return 'UNCLONEABLE_TYPE';
      }
      expect(Object.getPrototypeOf(arrived)).toBe(Object.prototype);
      expect(arrived).toEqual({});
      return 'PLATFORM_OBJECT_BECOMES_PLAIN';
    };
    expect(summary(site('hosts'))).toEqual([
      'worker BUFFER_BECOMES_UINT8ARRAY $.buf',
      `worker ${byRealClone(new Headers())} $.h`,
      `worker ${byRealClone(new URL('https://x'))} $.u`,
      'worker UNCLONEABLE_TYPE $.weak',
    ]);
  });

  it('a target line changes the host rules (from Node 22 a worker send of URL or Headers throws)', async () => {
    const on22 = await scan({ cwd: dir, target: 'node22' });
    const hosts = on22.subjects.find((s) => s.line === site('hosts').line)!;
    expect(summary(hosts)).toEqual([
      'worker BUFFER_BECOMES_UINT8ARRAY $.buf',
      'worker UNCLONEABLE_TYPE $.h',
      'worker UNCLONEABLE_TYPE $.u',
      'worker UNCLONEABLE_TYPE $.weak',
    ]);
    expect(on22.target).toBe('node22');
  }, 60_000);

  it('a function as the whole message: send() refuses it', () => {
    expect(summary(site('root-function'))).toEqual(['fork SEND_REFUSES_VALUE $']);
  });

  it('v8.serialize() is the v8 channel', () => {
    expect(site('v8').channels).toEqual(['v8']);
    expect(summary(site('v8'))).toEqual(['v8 FUNCTION_NOT_CLONEABLE $.f', 'v8 SHARED_MEMORY_NOT_SERIALIZABLE $.sab']);
  });

  it('accessors are flattened; BroadcastChannel is a worker send', () => {
    expect(summary(site('accessor'))).toEqual(['worker ACCESSOR_FLATTENED $.g']);
  });

  it("the web Worker's postMessage follows the worker rules", () => {
    expect(summary(site('web-worker'))).toEqual(['worker FUNCTION_NOT_CLONEABLE $.f']);
  });

  it('cluster workers: JSON unless setupPrimary() says otherwise', () => {
    expect(summary(site('cluster'))).toEqual(['fork DATE_BECOMES_STRING $.at']);
  });

  it('@clonecheck on a parameter names its channel; on the function, its first parameter', () => {
    const calls = result.subjects.filter((s) => s.line === site('tagged-parameter').line);
    expect(calls.map((s) => [s.name, s.channels])).toEqual([['saveJob() job', ['json', 'fork-advanced']]]);
    expect(summary(calls[0]!)).toEqual(['json BIGINT_NOT_JSON $.n', 'json DATE_BECOMES_STRING $.at']);
  });

  it("tinypool's run() is a worker send, found by the declaring module's name", () => {
    expect(site('tinypool')).toMatchObject({ name: expect.stringMatching(/\.run\(\)$/), channels: ['worker'] });
    expect(summary(site('tinypool'))).toEqual(['worker FUNCTION_NOT_CLONEABLE $.f']);
  });

  it('a send imported under another name is still found', () => {
    expect(summary(site('alias'))).toEqual(['v8 FUNCTION_NOT_CLONEABLE $.f']);
  });

  it('@clonecheck on an interface method and on an arrow function held in a const', () => {
    expect(site('tagged-method')).toMatchObject({ name: 'queue.push() job', channels: ['fork'] });
    expect(summary(site('tagged-method'))).toEqual(['fork DATE_BECOMES_STRING $.at']);
    expect(summary(site('tagged-arrow'))).toEqual(['worker FUNCTION_NOT_CLONEABLE $.cb']);
  });

  it("spawn() with an 'ipc' stdio and its serialization option", () => {
    expect(site('spawned').channels).toEqual(['fork-advanced']);
    expect(summary(site('spawned'))).toEqual(['fork-advanced FUNCTION_NOT_CLONEABLE $.f']);
  });

  it('JavaScript files are read too, with the types TypeScript infers', () => {
    const js = result.subjects.filter((s) => s.file === 'plain.js');
    expect(js.map(summary)).toEqual([['worker FUNCTION_NOT_CLONEABLE $.cb']]);
  });

  it('a cmd starting with NODE_ is swallowed by the IPC channel', () => {
    expect(summary(site('swallowed'))).toEqual(['fork MESSAGE_SWALLOWED $']);
  });
});

describe('scan: TypeScript is an optional peer', () => {
  it('says how to install it when it cannot be found', async () => {
    const { loadTypeScript, ScanError } = await import('../src/scan/typescript.js');
    const empty = mkdtempSync(join(tmpdir(), 'clonecheck-no-ts-'));
    try {
      const failure = loadTypeScript(empty, [join(empty, 'package.json')]);
      await expect(failure).rejects.toBeInstanceOf(ScanError);
      // typescript@6: a bare `npm install typescript` installs 7, whose package has no compiler API.
      await expect(failure).rejects.toThrow('the "typescript" package is not installed. Install it next to clonecheck: npm install --save-dev typescript@6 (');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("prefers the project's own TypeScript", async () => {
    const { loadTypeScript } = await import('../src/scan/typescript.js');
    const ts = await loadTypeScript(fileURLToPath(new URL('..', import.meta.url)));
    expect(typeof ts.createProgram).toBe('function');
  });
});
