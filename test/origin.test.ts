// Where functions found in a value were defined and what they capture, read through the
// in-process inspector (src/origin). Expected lines and columns are looked up in the fixtures' text.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatOriginHint } from '../src/findings/messages.js';
import {
  capturedValues,
  functionFacts,
  functionOrigin,
  functionOrigins,
  inspectorAvailable,
  instanceHint,
  originHint,
  setInspectorEnabled,
  type Origin,
} from '../src/origin/index.js';
import { setSessionFactoryForTesting } from '../src/origin/inspector.js';

type Fixture = typeof import('../fixtures/origin/jobs.js') & { boundDone?: unknown; customer?: unknown; Customer?: new (name: string) => unknown };

const root = fileURLToPath(new URL('..', import.meta.url));
const tsFile = fileURLToPath(new URL('../fixtures/origin/jobs.ts', import.meta.url));
const jsFile = fileURLToPath(new URL('../fixtures/origin/jobs.js', import.meta.url));
const text = { [tsFile]: readFileSync(tsFile, 'utf8'), [jsFile]: readFileSync(jsFile, 'utf8') };

/** 1-based line of the one line of `file` that contains `snippet`, and the columns the declaration spans. */
function where(file: string, snippet: string): { line: number; from: number; to: number } {
  const lines = text[file]!.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(snippet) ? [i] : []));
  if (hits.length !== 1) throw new Error(`${snippet} is on ${hits.length} lines of ${file}`);
  const l = lines[hits[0]!]!;
  const from = l.indexOf(snippet) + 1;
  // The declaration runs from its first token to the start of its body.
  const body = Math.max(l.indexOf('{', from - 1), l.indexOf('=>', from - 1));
  return { line: hits[0]! + 1, from, to: body === -1 ? l.length : body + 1 };
}

function expectAt(origin: Origin | undefined, file: string, snippet: string): void {
  const w = where(file, snippet);
  expect(origin?.kind).toBe('source');
  expect(origin?.file).toBe(file);
  expect(origin?.line).toBe(w.line);
  expect(origin?.column).toBeGreaterThanOrEqual(w.from);
  expect(origin?.column).toBeLessThanOrEqual(w.to);
}

const names = (o: Origin | undefined) => o?.captures?.map((c) => `${c.name}: ${c.kind} (${c.travel})`);

let ts: Fixture;
let js: Fixture;
beforeAll(async () => {
  // As the command line loads a module: tsx's tsImport, with the repository's tsconfig.
  ts = (await tsImport(tsFile, { parentURL: import.meta.url, tsconfig: `${root}tsconfig.json` })) as Fixture;
  js = (await import('../fixtures/origin/jobs.js')) as Fixture;
});

afterEach(() => setSessionFactoryForTesting(undefined));

describe('functionOrigin', () => {
  it('has an inspector to read from on this runtime', () => {
    expect(inspectorAvailable()).toBe(true);
  });

  for (const [label, file] of [
    ['a .ts module loaded through tsx (mapped through its source map)', tsFile],
    ['a .js module', jsFile],
  ] as const) {
    describe(label, () => {
      const m = () => (file === tsFile ? ts : js);

      it('places a function declaration, an arrow, async and generator functions, a method and a class', () => {
        const cases: [unknown, string, Origin['functionKind'], string][] = [
          [m().onDone, 'function onDone(', 'function', 'onDone'],
          [m().onProgress, 'onProgress = (done', 'arrow', 'onProgress'],
          [m().fetchRow, 'async function fetchRow(', 'async', 'fetchRow'],
          [m().ids, 'function* ids(', 'generator', 'ids'],
          [m().handlers.onError, 'onError(error', 'method', 'onError'],
          [m().Pool, 'class Pool', 'class', 'Pool'],
          [m().Pool.prototype.get, 'get(key', 'method', 'get'],
        ];
        for (const [fn, snippet, kind, name] of cases) {
          const o = functionOrigin(fn);
          expectAt(o, file, snippet);
          expect(o).toMatchObject({ functionKind: kind, name, topLevel: true, captures: [] });
        }
      });

      it('lists what a closure captures, with kinds, and only what its own source uses', () => {
        const db = new (m().Pool)();
        const job = m().makeJob(db, 'k:');
        const o = functionOrigin(job);
        expectAt(o, file, 'return (id');
        expect(o).toMatchObject({ functionKind: 'arrow', topLevel: false });
        expect(o?.name).toBeUndefined();
        // `forgotten` lives in the same scope (a sibling closure uses it) but not in this function's source.
        expect(names(o)?.sort()).toEqual(['cache: Map (data)', 'db: Pool (recreate)', 'prefix: string (data)']);
        const values = Object.fromEntries(capturedValues(job).map((c) => [c.capture.name, c.value]));
        expect(values['db']).toBe(db);
        expect(values['prefix']).toBe('k:');
      });

      it('follows a nested closure through every enclosing scope', () => {
        const db = new (m().Pool)();
        const middle = m().makeNested(db);
        const inner = (middle as (n: number) => unknown)(3);
        const o = functionOrigin(inner);
        expectAt(o, file, 'return async (id');
        expect(o?.functionKind).toBe('async-arrow');
        expect(names(o)).toEqual(['limit: number (data)', 'seen: Date (data)', 'db: Pool (recreate)', 'label: string (data)']);
        const mid = functionOrigin(middle);
        expectAt(mid, file, 'return function middle(');
        expect(names(mid)?.sort()).toEqual(['db: Pool (recreate)', 'label: string (data)']);
      });
    });
  }

  it('tells every kind of function apart', () => {
    const o = {
      async *ag() {},
      get g() {
        return 1;
      },
      [Symbol.iterator]() {},
      async am() {},
      m() {},
    };
    const getter = Object.getOwnPropertyDescriptor(o, 'g')!.get;
    const fns = [
      (a = String(1)) => a,
      async (x: number) => x,
      (x: number) => x,
      o.ag,
      getter,
      o[Symbol.iterator],
      o.am,
      o.m,
      function () {},
      async function () {},
      function* () {},
      class {},
    ];
    expect(functionOrigins(fns).map((f) => f?.functionKind)).toEqual([
      'arrow',
      'async-arrow',
      'arrow',
      'async-generator',
      'method',
      'method',
      'async',
      'method',
      'function',
      'async',
      'generator',
      'class',
    ]);
  });

  it('says built-in and bound without a location', () => {
    expect(functionOrigin(Math.max)).toEqual({ kind: 'built-in', name: 'max' });
    expect(functionOrigin(ts.boundDone)).toEqual({ kind: 'bound', name: 'bound onDone' });
    expect(functionOrigin(() => 1)?.kind).toBe('source');
  });

  it('answers undefined for what is not a function, and in order for a batch', () => {
    expect(functionOrigin({})).toBeUndefined();
    expect(functionOrigin(null)).toBeUndefined();
    const batch = functionOrigins([js.onDone, 1, Math.min, js.ids]);
    expect(batch.map((o) => o?.name)).toEqual(['onDone', undefined, 'min', 'ids']);
  });

  it('reads functions of another realm', async () => {
    const vm = await import('node:vm');
    const fn = vm.runInNewContext('(() => { const secret = new Map(); return () => secret; })()', {}, { filename: 'realm.js' }) as () => unknown;
    const o = functionOrigin(fn);
    expect(o).toMatchObject({ kind: 'source', file: 'realm.js', line: 1, topLevel: false });
    expect(names(o)).toEqual(['secret: Map (data)']);
  });
});

describe('source maps', () => {
  it('maps through a script’s own inline map, even one too big to keep for every script', async () => {
    const vm = await import('node:vm');
    // Generated line 1 maps to line 10, column 1 of the original ("AASA": source 0, line +9, column 0).
    const map = (source: string, padding: number) =>
      Buffer.from(JSON.stringify({ version: 3, sources: [source], sourcesContent: ['x'.repeat(padding)], names: [], mappings: 'AASA' })).toString('base64');
    const load = (file: string, source: string, padding: number) =>
      vm.runInThisContext(`(() => () => 1)()\n//# sourceMappingURL=data:application/json;base64,${map(source, padding)}`, { filename: file }) as () => number;
    const big = load('/virtual/big.js', '/virtual/big.ts', 20_000);
    const small = load('/virtual/small.js', 'small.ts', 10);
    // Asking for `small` lists every script, `big` among them, whose map is then not kept.
    expect(functionOrigin(small)).toMatchObject({ file: '/virtual/small.ts', line: 10, column: 1, generated: { file: '/virtual/small.js', line: 1 } });
    expect(functionOrigin(big)).toMatchObject({ file: '/virtual/big.ts', line: 10, column: 1, generated: { file: '/virtual/big.js', line: 1 } });
  });
});

describe('originHint', () => {
  const modules = () => [{ file: 'fixtures/origin/jobs.ts', path: tsFile, exports: Object.entries(ts).map(([name, value]) => ({ name, value })) }];

  it('names the export to send for an exported function', () => {
    const hint = originHint(ts.onDone, { modules: modules(), cwd: root });
    expect(hint).toMatchObject({ kind: 'reference', module: './fixtures/origin/jobs.ts', name: 'onDone', definedAt: { file: 'fixtures/origin/jobs.ts' } });
    expect(formatOriginHint(hint!)).toBe(
      "Send a reference instead: { module: './fixtures/origin/jobs.ts', name: 'onDone' }, and import() it in the worker or child.",
    );
  });

  it('asks to export a top-level function no loaded module exports', () => {
    const hint = originHint(js.onDone, { cwd: root });
    expect(hint).toMatchObject({
      kind: 'top-level',
      module: './fixtures/origin/jobs.js',
      name: 'onDone',
      definedAt: { file: 'fixtures/origin/jobs.js', line: where(jsFile, 'function onDone(').line },
    });
    expect(formatOriginHint(hint!)).toContain("export it from its module (at the top level), send { module: './fixtures/origin/jobs.js', name: 'onDone' }");
  });

  it('says which captures of a closure travel as data and which are recreated', () => {
    const hint = originHint(ts.makeJob(new ts.Pool(), 'k:'), { cwd: root });
    expect(hint).toMatchObject({ kind: 'closure', definedAt: { file: 'fixtures/origin/jobs.ts', line: where(tsFile, 'return (id').line } });
    if (hint?.kind !== 'closure') throw new Error('not a closure hint');
    expect(hint.data.map((d) => d.name).sort()).toEqual(['cache', 'prefix']);
    expect(hint.recreate).toEqual([{ name: 'db', kind: 'Pool' }]);
    const text = formatOriginHint(hint);
    expect(text).toMatch(
      /^It is a closure defined at fixtures\/origin\/jobs\.ts:\d+:\d+: move it into a module the worker or child imports, and send its name\./,
    );
    expect(text).toContain('Create db (a Pool) again on the other side.');
  });

  it('tells how to rebuild a class instance, and where its class is', () => {
    const hint = instanceHint(ts.customer, { modules: modules(), cwd: root });
    expect(hint).toEqual({
      kind: 'class',
      className: 'Customer',
      definedAt: {
        file: 'fixtures/origin/jobs.ts',
        line: where(tsFile, 'export class Customer').line,
        column: where(tsFile, 'export class Customer').from + 'export '.length,
      },
      module: './fixtures/origin/jobs.ts',
      exportName: 'Customer',
    });
    expect(formatOriginHint(hint!)).toMatch(
      /^Send the data and call new Customer\(data\) in the worker or child \(import it from '\.\/fixtures\/origin\/jobs\.ts'\); the class is defined at fixtures\/origin\/jobs\.ts:\d+:\d+\.$/,
    );
    expect(instanceHint({ a: 1 })).toBeUndefined();
    expect(instanceHint(new Map())).toBeUndefined();
  });

  it('gathers the facts for a finding in one call', () => {
    const facts = functionFacts(ts.onDone, { modules: modules(), cwd: root });
    expect(facts).toMatchObject({ origin: { kind: 'source', name: 'onDone' }, hint: { kind: 'reference', name: 'onDone' } });
    expect(facts?.definedAt).toMatch(new RegExp(`^fixtures/origin/jobs\\.ts:${where(tsFile, 'function onDone(').line}:\\d+$`));
    expect(functionFacts(Math.max)).toEqual({ origin: { kind: 'built-in', name: 'max' }, hint: { kind: 'built-in', name: 'max' } });
    expect(functionFacts('not a function')).toBeUndefined();
  });

  it('names the export of a module the command line loaded', async () => {
    const { loadModule } = await import('../src/cli/load.js');
    const loaded = await loadModule('fixtures/origin/jobs.ts', { timeout: 10_000, cwd: root });
    const job = loaded.exports.find((e) => e.name === 'onProgress')!.value;
    const origin = functionOrigin(job);
    expectAt(origin, tsFile, 'onProgress = (done');
    expect(originHint(job, { modules: [loaded], cwd: root })).toMatchObject({ kind: 'reference', module: './fixtures/origin/jobs.ts', name: 'onProgress' });
    const makeJob = loaded.exports.find((e) => e.name === 'makeJob')!.value as typeof ts.makeJob;
    const Pool = loaded.exports.find((e) => e.name === 'Pool')!.value as typeof ts.Pool;
    expect(names(functionOrigin(makeJob(new Pool(), 'k')))?.sort()).toEqual(['cache: Map (data)', 'db: Pool (recreate)', 'prefix: string (data)']);
    expect(instanceHint(loaded.exports.find((e) => e.name === 'customer')!.value, { modules: [loaded], cwd: root })).toMatchObject({
      kind: 'class',
      className: 'Customer',
      module: './fixtures/origin/jobs.ts',
      definedAt: { file: 'fixtures/origin/jobs.ts', line: where(tsFile, 'export class Customer').line },
    });
  });

  it('says how to do without a method', () => {
    const hint = originHint((ts.Customer as unknown as { prototype: { greet: unknown } }).prototype.greet, { cwd: root });
    expect(hint).toEqual({
      kind: 'method',
      name: 'greet',
      definedAt: { file: 'fixtures/origin/jobs.ts', line: where(tsFile, 'greet(): string').line, column: expect.any(Number) },
    });
    expect(formatOriginHint(hint!)).toMatch(
      /^It is the method greet defined at fixtures\/origin\/jobs\.ts:\d+:\d+: send the object's data and call the method on an object rebuilt on the other side\.$/,
    );
    expect(formatOriginHint({ kind: 'method' })).toBe("It is a method: send the object's data and call the method on an object rebuilt on the other side.");
  });

  it('has answers for built-in and bound functions', () => {
    expect(formatOriginHint(originHint(Math.max)!)).toBe('It is the built-in max: send its name and look it up on the other side.');
    expect(originHint(ts.boundDone)).toEqual({ kind: 'bound', name: 'bound onDone' });
  });
});

describe('in a worker thread', () => {
  it('reads origins and captures there too (the built package)', async () => {
    const { Worker } = await import('node:worker_threads');
    const built = fileURLToPath(new URL('../dist/origin/index.js', import.meta.url));
    const worker = new Worker(
      `const { functionOrigin } = require(${JSON.stringify(built)});
       const make = (limit) => () => limit * 2;
       require('node:worker_threads').parentPort.postMessage(functionOrigin(make(3)));`,
      { eval: true },
    );
    const origin = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(origin).toMatchObject({
      kind: 'source',
      functionKind: 'arrow',
      line: 2,
      topLevel: false,
      captures: [{ name: 'limit', kind: 'number', travel: 'data' }],
    });
  });
});

describe('without an inspector', () => {
  type FakeSession = Parameters<typeof setSessionFactoryForTesting>[0];
  const session =
    (post: (method: string, cb: (e: Error | null, r?: unknown) => void) => void): NonNullable<FakeSession> =>
    () => ({
      connect() {},
      disconnect() {},
      on() {},
      post: (method: string, _p: object, cb: (e: Error | null, r?: unknown) => void) => post(method, cb),
    });

  it('falls back quietly when the inspector cannot be loaded or connected', () => {
    setSessionFactoryForTesting(() => {
      throw new Error('ERR_INSPECTOR_NOT_AVAILABLE');
    });
    const fn = () => 1;
    expect(inspectorAvailable()).toBe(false);
    expect(functionOrigin(fn)).toEqual({ kind: 'unknown', functionKind: 'arrow', name: 'fn' });
    expect(originHint(() => 2)).toBeUndefined();
    expect(functionOrigin(Math.max)).toEqual({ kind: 'built-in', name: 'max' });
  });

  it('never waits for a session that answers later, nor trusts one that errs', () => {
    setSessionFactoryForTesting(session((_m, cb) => setTimeout(() => cb(null, {}), 0)));
    expect(functionOrigin(function late() {})).toMatchObject({ kind: 'unknown', name: 'late' });
    setSessionFactoryForTesting(
      session((m, cb) => (m === 'Runtime.evaluate' ? cb(null, { result: { type: 'object', objectId: '1' } }) : cb(new Error('boom')))),
    );
    expect(functionOrigin(function erring() {})).toMatchObject({ kind: 'unknown', name: 'erring' });
  });

  it('can be turned off and on', () => {
    setInspectorEnabled(false);
    expect(functionOrigin(function off() {})?.kind).toBe('unknown');
    setInspectorEnabled(true);
    expect(functionOrigin(function on() {})?.kind).toBe('source');
  });

  it('works next to another in-process session that has the debugger on', async () => {
    const { Session } = await import('node:inspector');
    const other = new Session();
    other.connect();
    other.post('Debugger.enable');
    try {
      const secret = 'x';
      const o = functionOrigin(() => secret);
      expect(o?.kind).toBe('source');
      expect(names(o)).toEqual(['secret: string (data)']);
    } finally {
      other.disconnect();
    }
  });
});
