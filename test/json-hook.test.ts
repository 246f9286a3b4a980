// A toJSON a program puts on a prototype that every bigint, object or array inherits: JSON calls it
// for each of them. The bigint one (`BigInt.prototype.toJSON = function () { return this.toString(); }`)
// is the usual way to make JSON.stringify take bigints; each case is held to the real channel.
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { closeRoundTrip } from '../src/verify/roundtrip.js';
import { judge } from './oracle.js';

type Patched = { toJSON?: unknown };
const patched: [object, PropertyDescriptor | undefined][] = [];
/** Sets `toJSON` on a built-in prototype for one test; afterEach puts it back. */
function giveToJSON(proto: object, value: unknown): void {
  patched.push([proto, Object.getOwnPropertyDescriptor(proto, 'toJSON')]);
  Object.defineProperty(proto, 'toJSON', { value, writable: true, configurable: true, enumerable: false });
}
afterEach(() => {
  for (const [proto, before] of patched.reverse()) {
    if (before) Object.defineProperty(proto, 'toJSON', before);
    else delete (proto as Patched).toJSON;
  }
  patched.length = 0;
});
afterEach(() => closeRoundTrip());

const at = (value: unknown, channel: 'json' | 'fork'): string[] => check(value, { channels: [channel] }).findings.map((f) => `${f.code} ${f.at}`);

describe('BigInt.prototype.toJSON', () => {
  const values: [string, () => unknown][] = [
    ['a nested bigint', () => ({ n: 1n, label: 'x' })],
    ['bigints in an array', () => [1n, 2n, -(2n ** 70n)]],
    ['a bigint deep in objects and arrays', () => ({ a: { b: [{ c: 3n }] } })],
  ];
  for (const [name, make] of values) {
    for (const channel of ['json', 'fork'] as const) {
      it(`${name} on ${channel}: sent as what toJSON returns, as check() says`, async () => {
        giveToJSON(BigInt.prototype, function (this: bigint) {
          return this.toString();
        });
        const verdict = await judge(make(), channel);
        expect(verdict.problems).toEqual([]);
        expect(verdict.findings.some((f) => f.code === 'TOJSON_CALLED')).toBe(true);
        expect(verdict.findings.some((f) => f.code === 'BIGINT_NOT_JSON')).toBe(false);
      });
    }
  }

  it('a top-level bigint: JSON sends its string; child.send() still refuses a bigint as the message', async () => {
    giveToJSON(BigInt.prototype, function (this: bigint) {
      return this.toString();
    });
    expect((await judge(5n, 'json')).problems).toEqual([]);
    expect(at(5n, 'json')).toEqual(['TOJSON_CALLED $']);
    expect((await judge(5n, 'fork')).problems).toEqual([]);
    expect(at(5n, 'fork')).toEqual(['SEND_REFUSES_VALUE $']);
  });

  it('a toJSON that is not a function is not called: the bigint still throws', async () => {
    giveToJSON(BigInt.prototype, 'not a function');
    expect((await judge({ n: 1n }, 'json')).problems).toEqual([]);
    expect(at({ n: 1n }, 'json')).toEqual(['BIGINT_NOT_JSON $.n']);
  });

  it('without one, a bigint throws on JSON (the checker reads the prototype on each check)', async () => {
    expect(at({ n: 1n }, 'json')).toEqual(['BIGINT_NOT_JSON $.n']);
    giveToJSON(BigInt.prototype, () => 1);
    expect(at({ n: 1n }, 'json')).toEqual(['TOJSON_CALLED $.n']);
  });
});

describe('Object.prototype.toJSON and Array.prototype.toJSON', () => {
  // The real channels' own machinery goes through JSON too, so these are held to JSON.stringify(),
  // and everything is read before the prototype is put back (a test runner's reports use JSON).
  function whileGiven<T>(proto: object, toJSON: () => unknown, read: () => T): T {
    giveToJSON(proto, toJSON);
    try {
      return read();
    } finally {
      const [, before] = patched.pop()!;
      if (before) Object.defineProperty(proto, 'toJSON', before);
      else delete (proto as Patched).toJSON;
    }
  }

  it('Object.prototype.toJSON: every object, Maps included, is sent as what it returns; a Date still uses its own', () => {
    const value = { a: { b: 1 }, m: new Map() };
    const [sent, found, map, date, dateSent] = whileGiven(
      Object.prototype,
      () => 'replaced',
      () => [JSON.stringify(value), at(value, 'json'), at(new Map([[1, 2]]), 'fork'), at(new Date(0), 'json'), JSON.stringify(new Date(0))],
    );
    expect(sent).toBe('"replaced"');
    expect(found).toEqual(['TOJSON_CALLED $']);
    expect(map).toContain('TOJSON_CALLED $');
    expect(dateSent).toBe('"1970-01-01T00:00:00.000Z"');
    expect(date).toEqual(at(new Date(0), 'json'));
    expect(date).not.toContain('TOJSON_CALLED $');
  });

  it('Array.prototype.toJSON: arrays are sent as what it returns, objects as they are', () => {
    const value = { a: [1, 2], o: { b: 1 } };
    const [sent, found] = whileGiven(
      Array.prototype,
      () => 'list',
      () => [JSON.stringify(value), at(value, 'json')],
    );
    expect(sent).toBe('{"a":"list","o":{"b":1}}');
    expect(found).toEqual(['TOJSON_CALLED $.a']);
  });

  it('a class instance inherits Object.prototype.toJSON through its own prototype; a null-prototype object does not', () => {
    class Point {
      x = 1;
    }
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    const [sent, point, bareSent, bareFound] = whileGiven(
      Object.prototype,
      () => 0,
      () => [
        JSON.stringify({ p: new Point() }),
        at(new Point(), 'json'),
        JSON.stringify({ a: 1 }.constructor === Object ? bare : bare),
        at({ x: bare }, 'json'),
      ],
    );
    expect(sent).toBe('0');
    expect(point).toContain('TOJSON_CALLED $');
    expect(bareSent).toBe('{"a":1}');
    // The outer object inherits it (so the rest of the message is what toJSON returns); the bare one alone would not.
    expect(bareFound).toEqual(['TOJSON_CALLED $']);
    const alone = whileGiven(
      Object.prototype,
      () => 0,
      () => check(bare, { channels: ['json'], root: 'value' }).findings.map((f) => f.code),
    );
    expect(alone).not.toContain('TOJSON_CALLED');
  });
});

describe('a built-in method as toJSON', () => {
  // String.prototype.toString and valueOf refuse anything but a String object; its other methods
  // make a string of any receiver. Each held to the real channel, with the built-in reached by check().
  const values: [string, () => unknown, string][] = [
    ['String.prototype.valueOf on a plain object', () => ({ a: { toJSON: String.prototype.valueOf } }), 'JSON_THROWS $.a'],
    ['String.prototype.toString on a plain object', () => ({ a: { toJSON: String.prototype.toString } }), 'JSON_THROWS $.a'],
    ['String.prototype.valueOf on a String object', () => ({ a: Object.assign(new String('x'), { toJSON: String.prototype.valueOf }) }), 'TOJSON_CALLED $.a'],
    ['String.prototype.trim on a plain object', () => ({ a: { toJSON: String.prototype.trim } }), 'TOJSON_CALLED $.a'],
  ];
  for (const [name, make, finding] of values) {
    for (const channel of ['json', 'fork'] as const) {
      it(`${name} on ${channel}: as check() says`, async () => {
        expect((await judge(make(), channel)).problems).toEqual([]);
        expect(at(make(), channel)).toContain(finding);
      });
    }
  }
});
