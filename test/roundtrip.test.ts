import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { closeRoundTrip, diffDescriptions, inspectArrival, roundTrip, RoundTripError, type Arrival } from '../src/roundtrip.js';
import { plainValueMaker, structuredValueMaker } from '../src/arbitraries.js';
import { ALL_CHANNELS, CHANNELS, type Channel } from '../src/types.js';

afterAll(() => closeRoundTrip());

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** The differences between what was sent and what arrived, as `at  what` lines. */
function arrivedDiff(r: Arrival): string[] {
  if (r.outcome !== 'arrived') throw new Error(`expected an arrival, got ${r.outcome}`);
  return diffDescriptions(r.sent, r.description).map((d) => `${d.at}  ${d.what}`);
}

describe('roundTrip through real channels', () => {
  it('a Map survives worker and fork-advanced, and becomes {} on fork', async () => {
    const make = () =>
      new Map<unknown, unknown>([
        [1, { a: [1, 2] }],
        ['k', -0],
        [{ o: 1 }, new Set(['s'])],
      ]);
    for (const channel of ['worker', 'fork-advanced'] as const) {
      const back = await roundTrip(make(), channel);
      expect(back).toBeInstanceOf(Map);
      expect(back).toEqual(make());
      expect(Object.is((back as Map<unknown, unknown>).get('k'), -0)).toBe(true);
    }
    const json = await roundTrip(make(), 'fork');
    expect(json).toEqual({});
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
  });

  it('a function makes the worker send throw; the original error is the cause', async () => {
    const err = await roundTrip({ f: () => 1 }, 'worker').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoundTripError);
    const e = err as RoundTripError;
    expect(e.reason).toBe('threw');
    expect(e.channel).toBe('worker');
    expect(e.message).toMatch(/DataCloneError: \(\) => 1 could not be cloned/);
    expect((e.cause as Error).name).toBe('DataCloneError');
  });

  it('top-level values that child.send() refuses', async () => {
    for (const channel of ['fork', 'fork-advanced'] as const) {
      const e = (await roundTrip(undefined, channel).catch((x: unknown) => x)) as RoundTripError;
      expect(e.reason).toBe('threw');
      expect((e.cause as { code?: string }).code).toBe('ERR_MISSING_ARGS');
      await expect(roundTrip(1n, channel)).rejects.toThrow(/must be one of type string, object, number, or boolean/);
    }
    // One level down, the advanced serializer takes a bigint; the worker takes both.
    expect(await roundTrip({ n: 1n }, 'fork-advanced')).toEqual({ n: 1n });
    expect(await roundTrip(1n, 'worker')).toBe(1n);
    expect(await roundTrip(undefined, 'worker')).toBeUndefined();
  });

  it('an object whose cmd starts with NODE_ is swallowed by child_process IPC, and the channel still works', async () => {
    for (const channel of ['fork', 'fork-advanced'] as const) {
      const e = (await roundTrip({ cmd: 'NODE_x', payload: 1 }, channel).catch((x: unknown) => x)) as RoundTripError;
      expect(e).toBeInstanceOf(RoundTripError);
      expect(e.reason).toBe('swallowed');
      const r = await inspectArrival({ cmd: 'NODE_x' }, channel);
      expect(r.outcome).toBe('swallowed');
      expect(await roundTrip({ cmd: 'node_x' }, channel)).toEqual({ cmd: 'node_x' });
    }
    expect(await roundTrip({ cmd: 'NODE_x' }, 'worker')).toEqual({ cmd: 'NODE_x' });
  });

  it("takes cmd as internal only when it is longer than 'NODE_', and a cmd Node acts on can kill the child", async () => {
    expect(await roundTrip({ cmd: 'NODE_' }, 'fork')).toEqual({ cmd: 'NODE_' });
    const r = await inspectArrival({ cmd: 'NODE_HANDLE_ACK' }, 'fork-advanced');
    expect(r.outcome).toBe('crashed');
    expect(r.outcome === 'crashed' && r.error?.message).toMatch(/ERR_INTERNAL_ASSERTION/);
  });

  it('a receiver that crashes is reported, and restarted on the next call', async () => {
    // JSON IPC writes the line `undefined` for a toJSON() that returns undefined: the child dies parsing it.
    const r = await inspectArrival({ toJSON: () => undefined }, 'fork');
    expect(r.outcome).toBe('crashed');
    expect(r.outcome === 'crashed' && r.error?.message).toMatch(/exited \(code 1.*SyntaxError/);
    await expect(roundTrip({ toJSON: () => undefined }, 'fork')).rejects.toMatchObject({ reason: 'crashed' });
    expect(await roundTrip({ after: 'crash' }, 'fork')).toEqual({ after: 'crash' });
  });

  it('Errors whose causes form a cycle: Node 20 cannot read them (each of two in a row is answered), later lines can', async () => {
    // Each cause as the constructor makes it (non-enumerable), so that a later line delivers it unchanged.
    const loop = (): Error => {
      const b = new TypeError('b');
      const a = new Error('a', { cause: b });
      return Object.defineProperty(b, 'cause', { value: a, writable: true, configurable: true }) && a;
    };
    for (let i = 0; i < 2; i++) {
      const r = await inspectArrival(loop(), 'worker');
      if (NODE_MAJOR === 20) expect(r).toMatchObject({ outcome: 'crashed', reason: 'messageerror' });
      else expect(arrivedDiff(r)).toEqual([]);
    }
    expect(await roundTrip({ after: 'messageerror' }, 'worker')).toEqual({ after: 'messageerror' });
  });

  it('calls on one channel are queued and each gets its own answer', async () => {
    const values = Array.from({ length: 20 }, (_, i) => ({ i, s: 'x'.repeat(i) }));
    for (const channel of CHANNELS) {
      expect(await Promise.all(values.map((v) => roundTrip(v, channel)))).toEqual(values);
    }
  });
});

describe('the in-process channels json and v8', () => {
  it('json: JSON.parse(JSON.stringify(value)), with none of the IPC rules', async () => {
    expect(await roundTrip({ m: new Map([[1, 2]]), d: new Date(0), n: NaN, u: undefined }, 'json')).toEqual({ m: {}, d: '1970-01-01T00:00:00.000Z', n: null });
    // No NODE_ rule: the message arrives, where fork swallows it.
    expect(await roundTrip({ cmd: 'NODE_x' }, 'json')).toEqual({ cmd: 'NODE_x' });
    // No top-level refusal: a number or null goes, where child.send() checks the type first.
    expect(await roundTrip(null, 'json')).toBeNull();
    await expect(roundTrip({ n: 1n }, 'json')).rejects.toMatchObject({ reason: 'threw', message: /BigInt/ });
  });

  it('json: a top-level undefined, function or symbol sends nothing, and nothing fails', async () => {
    for (const value of [undefined, () => 1, Symbol('s'), { toJSON: () => undefined }]) {
      await expect(roundTrip(value, 'json')).rejects.toMatchObject({ reason: 'lost', channel: 'json' });
      const r = await inspectArrival(value, 'json');
      expect(r.outcome).toBe('lost');
      expect(r.sent.root).not.toBeNull();
    }
  });

  it('v8: v8.deserialize(v8.serialize(value)): host objects throw (Node 20) or arrive empty, views arrive re-based', async () => {
    const map = new Map<unknown, unknown>([[1, { a: [1n] }]]);
    expect(await roundTrip(map, 'v8')).toEqual(map);
    if (NODE_MAJOR === 20) {
      const blob = (await roundTrip(new Blob(['x']), 'v8').catch((e: unknown) => e)) as RoundTripError;
      expect(blob.reason).toBe('threw');
      expect(blob.message).toMatch(/Unserializable host object/);
    } else {
      expect(arrivedDiff(await inspectArrival(new Blob(['x']), 'v8'))[0]).toMatch(/^\$ {2}kind: Blob → Object$/);
    }
    await expect(roundTrip(new SharedArrayBuffer(1), 'v8')).rejects.toMatchObject({ reason: 'threw' });
    const lines = arrivedDiff(await inspectArrival(new Uint8Array([1, 2, 3]), 'v8'));
    expect(lines[0]).toMatch(/^\$ {2}internal: byteOffset 0 → [1-9]/);
    expect(arrivedDiff(await inspectArrival(Buffer.from('ab'), 'v8')).some((l) => l.includes('prototype'))).toBe(false);
  });

  it('v8: a value that serializes but cannot be read back is a message error', async () => {
    // The serializer takes the view's bytes from its own `buffer` property; the deserializer finds none.
    const make = () => Object.defineProperty(new Uint8Array([1, 2]), 'buffer', { value: 1 });
    const r = await inspectArrival(make(), 'v8');
    expect(r).toMatchObject({ outcome: 'crashed', reason: 'messageerror', error: { message: 'ReadRawBytes() failed' } });
    await expect(roundTrip(make(), 'v8')).rejects.toMatchObject({ reason: 'messageerror' });
  });

  it('the sender description is taken before JSON.stringify runs a getter', async () => {
    let calls = 0;
    const v = Object.defineProperty({}, 'g', { get: () => ++calls, enumerable: true });
    expect(arrivedDiff(await inspectArrival(v, 'json'))).toEqual([
      '$.g  descriptor: accessor (get) enumerable non-configurable → data writable enumerable configurable, number 1',
    ]);
    expect(calls).toBe(1);
  });
});

describe('inspectArrival', () => {
  it('describes what arrived, on the receiving side', async () => {
    const make = () => ({
      z: -0,
      n: NaN,
      d: new Date(0),
      u: undefined,
      s: (() => {
        const o = { v: 1 };
        return [o, o];
      })(),
    });
    expect(arrivedDiff(await inspectArrival(make(), 'worker'))).toEqual([]);
    expect(arrivedDiff(await inspectArrival(make(), 'fork-advanced'))).toEqual([]);
    expect(arrivedDiff(await inspectArrival(make(), 'fork'))).toEqual([
      '$.z  value: number -0 → number 0',
      '$.n  value: number NaN → null',
      '$.d  kind: Date → string "1970-01-01T00:00:00.000Z"',
      '$.u  missing: own property (data writable enumerable configurable, undefined)',
      '$.s[1]  identity: shared reference lost (was the same object as $.s[0])',
    ]);
  });

  it('sees what a return trip would hide: a typed array through fork-advanced sits in a bigger buffer', async () => {
    const lines = arrivedDiff(await inspectArrival(new Uint8Array([1, 2, 3]), 'fork-advanced'));
    expect(lines[0]).toMatch(/^\$ {2}internal: byteOffset 0 → [1-9]/);
    expect(lines.some((l) => l.includes('[[buffer]] byteLength 3 →'))).toBe(true);
  });

  it('takes the sender description before the send, so a getter that the send runs is seen as an accessor', async () => {
    let calls = 0;
    const v = Object.defineProperty({}, 'g', { get: () => ++calls, enumerable: true });
    const lines = arrivedDiff(await inspectArrival(v, 'worker'));
    expect(calls).toBe(1);
    expect(lines).toEqual(['$.g  descriptor: accessor (get) enumerable non-configurable → data writable enumerable configurable, number 1']);
  });

  it('reports the sender-side error of a send that throws', async () => {
    const r = await inspectArrival({ s: Symbol('x') }, 'fork-advanced');
    expect(r).toMatchObject({ outcome: 'threw', threw: true, error: { name: 'Error', message: 'Symbol(x) could not be cloned.' } });
    const w = await inspectArrival(new SharedArrayBuffer(1), 'fork-advanced');
    expect(w.outcome).toBe('threw');
  });
});

describe('ground truth agrees with the arbitraries', () => {
  it('plain values are lossless on every channel', async () => {
    await fc.assert(
      fc.asyncProperty(plainValueMaker, async (make) => {
        for (const channel of ALL_CHANNELS) expect(arrivedDiff(await inspectArrival(make(), channel))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('structured values are lossless on worker', async () => {
    await fc.assert(
      fc.asyncProperty(structuredValueMaker, async (make) => {
        expect(arrivedDiff(await inspectArrival(make(), 'worker'))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('handles', () => {
  it('closeRoundTrip() leaves no handle behind, and the next call starts again', async () => {
    // process.report lists every libuv handle, unref()'ed ones too (getActiveResourcesInfo() does not).
    const handles = (): number =>
      (process.report.getReport() as { libuv: { type: string }[] }).libuv.filter((h) => ['process', 'pipe', 'async'].includes(h.type)).length;
    // A closed child's handle lingers a little after it exits (longer on a busy machine): poll.
    const poll = async (until: () => boolean): Promise<void> => {
      for (let i = 0; i < 80; i++) {
        await new Promise((r) => setTimeout(r, 25));
        if (until()) return;
      }
    };
    await closeRoundTrip();
    let before = handles();
    await poll(() => {
      const n = handles();
      const stable = n === before;
      before = n;
      return stable;
    });
    for (const channel of CHANNELS) await roundTrip(1, channel);
    expect(handles()).toBeGreaterThan(before + 2); // two children and a worker, idle and unref()'ed
    await closeRoundTrip();
    await poll(() => handles() <= before);
    expect(handles()).toBeLessThanOrEqual(before);
    expect(await roundTrip('again', 'worker' satisfies Channel)).toBe('again');
  });

  it('a process exits by itself without closeRoundTrip(), and awaiting closeRoundTrip() completes', () => {
    const built = fileURLToPath(new URL('../dist/roundtrip.js', import.meta.url));
    const run = (tail: string) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { roundTrip, closeRoundTrip } from ${JSON.stringify(built)};
           for (const channel of ['worker', 'fork', 'fork-advanced']) console.log(channel, JSON.stringify(await roundTrip({ a: [1] }, channel)));
           ${tail}`,
        ],
        { encoding: 'utf8', timeout: 20_000 },
      );
    const expected = ['worker {"a":[1]}', 'fork {"a":[1]}', 'fork-advanced {"a":[1]}'];
    for (const [tail, last] of [
      ['', []],
      ["await closeRoundTrip(); console.log('closed');", ['closed']],
    ] as const) {
      const r = run(tail);
      expect(r.signal).toBeNull();
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toEqual([...expected, ...last]);
      expect(r.status).toBe(0);
    }
  });
});
