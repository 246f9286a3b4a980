// The verdicts captureVerdicts() gives a closure's captured values by their kind, held against what
// real sends deliver: a Worker and forked children (json and advanced) for the default channels,
// JSON.stringify/parse and v8.serialize/deserialize in process for `json` and `v8`.
import { afterAll, describe, expect, it } from 'vitest';
import { captureVerdicts } from '../src/capture-verdicts.js';
import { ALL_CHANNELS } from '../src/types.js';
import { closeRoundTrip } from '../src/verify/roundtrip.js';
import { verdictsAgainstRealSends } from './helpers/reality.js';

afterAll(() => closeRoundTrip());

class Pool {
  connections = 2;
  query(): number {
    return this.connections;
  }
}

/** One closure over a value of every category; each is sent as `{ v: value }`, as a property of a message. */
function closure() {
  const text = 'k:';
  const count = 42;
  const notANumber = NaN;
  const minusZero = -0;
  const nothing = undefined;
  const big = 10n;
  const sym = Symbol('s');
  const plain = { a: 1, b: ['x'] };
  const list = [1, 2];
  const map = new Map([[1, 'one']]);
  const set = new Set(['a']);
  const date = new Date(0);
  const regexp = /a/g;
  const error = new TypeError('bad');
  const bytes = new Uint8Array([1, 2, 3]);
  const buffer = Buffer.from('hi');
  const arrayBuffer = new Uint8Array([4, 5]).buffer;
  const shared = new SharedArrayBuffer(8);
  const boxed = Object(7) as number;
  const fn = (x: number) => x + 1;
  const klass = Pool;
  const promise = Promise.resolve(1);
  const weak = new WeakMap();
  const proxy = new Proxy({ a: 1 }, {});
  const pool = new Pool();
  const values = {
    text,
    count,
    notANumber,
    minusZero,
    nothing,
    big,
    sym,
    plain,
    list,
    map,
    set,
    date,
    regexp,
    error,
    bytes,
    buffer,
    arrayBuffer,
    shared,
    boxed,
    fn,
    klass,
    promise,
    weak,
    proxy,
    pool,
  };
  return {
    values,
    job: () => [
      text,
      count,
      notANumber,
      minusZero,
      nothing,
      big,
      sym,
      plain,
      list,
      map,
      set,
      date,
      regexp,
      error,
      bytes,
      buffer,
      arrayBuffer,
      shared,
      boxed,
      fn,
      klass,
      promise,
      weak,
      proxy,
      pool,
    ],
  };
}

describe('captureVerdicts against real sends', () => {
  const { values, job } = closure();
  const judged = captureVerdicts(job, ALL_CHANNELS);

  it('judges every capture on every channel', () => {
    expect(judged.map((c) => c.name).sort()).toEqual(Object.keys(values).sort());
    for (const c of judged) expect(Object.keys(c.verdicts).sort()).toEqual([...ALL_CHANNELS].sort());
  });

  for (const channel of ALL_CHANNELS) {
    it(`matches what ${channel} does to each kind of value`, async () => {
      expect(await verdictsAgainstRealSends(judged, values, channel)).toEqual([]);
    });
  }

  it('lets the checker judge data captures by their value', () => {
    const byValue = captureVerdicts(job, ['fork'], (value) => ({ fork: Array.isArray(value) ? 'reshape' : 'ok' }));
    expect(byValue.find((c) => c.name === 'list')).toMatchObject({ judgedBy: 'value', verdicts: { fork: 'reshape' } });
    expect(byValue.find((c) => c.name === 'pool')).toMatchObject({ judgedBy: 'kind', verdicts: { fork: 'loss' } });
  });
});
