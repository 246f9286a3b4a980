/**
 * The composites of the arbitraries (`../arbitraries.ts`): arrays (holes, huge sparse ones, extra
 * keys), objects with every kind of property, prototype and integrity level, Maps, Sets, boxed
 * primitives, Errors, proxies, promises and `NODE_` messages, and the ties that make shared
 * references and cycles.
 */
import fc from 'fast-check';
import { types } from 'node:util';
import { maker, type Maker } from './maker.js';
import { Bag, defineData, ERROR_TYPES, ERRORS, extraKey, literal, MyMap, MySet, objectRecipe, plainKey } from './leaves.js';

// ---------------------------------------------------------------------------------------------
// Composites
// ---------------------------------------------------------------------------------------------

export type Level = 'plain' | 'structured' | 'rich';

export function arrayMakers(v: fc.Arbitrary<Maker>, level: Level): fc.Arbitrary<Maker>[] {
  const dense = fc.array(v, { maxLength: 4 }).map((ms) => maker(`[${ms.map((m) => m.recipe).join(', ')}]`, () => ms.map((m) => m())));
  if (level === 'plain') return [dense];
  const withHoles = fc
    .record({
      items: fc.array(fc.option(v, { nil: null, freq: 3 }) /* null: a hole */, { maxLength: 5 }),
      trailing: fc.nat(2),
      extra: fc.array(fc.tuple(extraKey, v), { maxLength: 2 }),
    })
    .map(({ items, trailing, extra }) => {
      const recipe = `Object.assign([${items.map((m) => (m === null ? '' : m.recipe)).join(', ')}${items.at(-1) === null ? ',' : ''}]${trailing ? ` /* length += ${trailing} */` : ''}, ${objectRecipe(extra)})`;
      return maker(recipe, () => {
        const a: unknown[] = [];
        items.forEach((m, i) => {
          if (m !== null) a[i] = m();
        });
        a.length = items.length + trailing;
        for (const [k, m] of extra) defineData(a, k, m());
        return a;
      });
    });
  const huge = fc.tuple(fc.constantFrom(2 ** 32 - 1, 100, 3000), fc.array(fc.tuple(fc.nat(), v), { minLength: 1, maxLength: 2 })).map(([length, at]) =>
    maker(`/* sparse */ Object.assign(Array(${length}), { ${at.map(([i, m]) => `${i % length}: ${m.recipe}`).join(', ')} })`, () => {
      const a: unknown[] = [];
      a.length = length;
      for (const [i, m] of at) a[i % length] = m();
      return a;
    }),
  );
  const list = [dense, fc.oneof({ weight: 3, arbitrary: withHoles }, { weight: 1, arbitrary: huge })];
  if (level === 'rich') {
    list.push(
      fc.tuple(fc.array(v, { maxLength: 3 }), fc.string({ maxLength: 4 }), v).map(([ms, d, sv]) =>
        maker(`Object.assign([${ms.map((m) => m.recipe).join(', ')}], { [Symbol(${JSON.stringify(d)})]: ${sv.recipe} })`, () => {
          const a = ms.map((m) => m());
          defineData(a, Symbol(d), sv());
          return a;
        }),
      ),
    );
  }
  return list;
}

const DATA_KINDS = ['data', 'data', 'data', 'hidden', 'readonly', 'setter', 'symbol'] as const;
const ACCESSOR_KINDS = ['getter', 'accessor'] as const;
type PropKind = (typeof DATA_KINDS)[number] | (typeof ACCESSOR_KINDS)[number];
const PROTOS = ['object', 'object', 'object', 'null', 'custom', 'class'] as const;
const INTEGRITY = ['none', 'none', 'none', 'none', 'freeze', 'seal', 'preventExtensions'] as const;

function addProp(o: object, kind: PropKind, key: string, m: Maker): void {
  switch (kind) {
    case 'data':
      return defineData(o, key, m());
    case 'hidden':
      return defineData(o, key, m(), { enumerable: false });
    case 'readonly':
      return defineData(o, key, m(), { writable: false, configurable: false });
    case 'getter': {
      const value = m(); // built once: the getter is pure
      Object.defineProperty(o, key, { get: () => value, enumerable: true, configurable: true });
      return;
    }
    case 'setter':
      Object.defineProperty(o, key, { set: () => undefined, enumerable: true, configurable: true });
      return;
    case 'accessor': {
      let value = m();
      Object.defineProperty(o, key, {
        get: () => value,
        set: (x: unknown) => {
          value = x;
        },
        enumerable: true,
        configurable: true,
      });
      return;
    }
    case 'symbol':
      return defineData(o, Symbol(key), m());
  }
}

/**
 * What a getter returns, or a Proxy wraps, is plain data: a checker that runs no getter and no trap
 * can't know it, so the only thing that may show is the flattening or the unwrapping itself.
 */
export function richObjectMaker(v: fc.Arbitrary<Maker>, plain: fc.Arbitrary<Maker>): fc.Arbitrary<Maker> {
  const prop = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(plainKey, fc.constantFrom<PropKind>(...DATA_KINDS), v) },
    { weight: 1, arbitrary: fc.tuple(plainKey, fc.constantFrom<PropKind>(...ACCESSOR_KINDS), plain) },
  );
  return fc
    .record({
      props: fc.array(prop, { maxLength: 4 }),
      proto: fc.constantFrom(...PROTOS),
      integrity: fc.constantFrom(...INTEGRITY),
    })
    .map(({ props, proto, integrity }) => {
      const base = { object: '{}', null: 'Object.create(null)', custom: 'Object.create({ inherited: 1 })', class: 'new Bag()' }[proto];
      const recipe = `/* ${integrity} */ ${base} + ${props.map(([k, kind, m]) => `${kind} ${JSON.stringify(k)} = ${m.recipe}`).join('; ') || 'no props'}`;
      return maker(recipe, () => {
        const o: object = proto === 'object' ? {} : proto === 'null' ? Object.create(null) : proto === 'custom' ? Object.create({ inherited: 1 }) : new Bag();
        for (const [k, kind, m] of props) {
          // Redefining a non-configurable property would throw: the first definition of a key wins.
          const d = Object.getOwnPropertyDescriptor(o, kind === 'symbol' ? Symbol(k) : k);
          if (d !== undefined) continue;
          addProp(o, kind, k, m);
        }
        if (integrity === 'freeze') Object.freeze(o);
        else if (integrity === 'seal') Object.seal(o);
        else if (integrity === 'preventExtensions') Object.preventExtensions(o);
        return o;
      });
    });
}

export function collectionMakers(v: fc.Arbitrary<Maker>, level: Level): fc.Arbitrary<Maker>[] {
  const rich = level === 'rich';
  const variant = rich ? fc.constantFrom('plain', 'plain', 'subclass', 'extra') : fc.constant('plain');
  const mapArb = fc.tuple(fc.array(fc.tuple(v, v), { maxLength: 3 }), variant).map(([entries, kind]) => {
    const body = `[${entries.map(([k, x]) => `[${k.recipe}, ${x.recipe}]`).join(', ')}]`;
    return maker(kind === 'subclass' ? `new MyMap(${body})` : kind === 'extra' ? `Object.assign(new Map(${body}), { extra: 1 })` : `new Map(${body})`, () => {
      const pairs = entries.map(([k, x]) => [k(), x()] as [unknown, unknown]);
      const m = kind === 'subclass' ? new MyMap(pairs) : new Map(pairs);
      if (kind === 'extra') defineData(m, 'extra', 1);
      return m;
    });
  });
  const setArb = fc.tuple(fc.array(v, { maxLength: 3 }), variant).map(([members, kind]) => {
    const body = `[${members.map((m) => m.recipe).join(', ')}]`;
    return maker(kind === 'subclass' ? `new MySet(${body})` : kind === 'extra' ? `Object.assign(new Set(${body}), { extra: 1 })` : `new Set(${body})`, () => {
      const ms = members.map((m) => m());
      const s = kind === 'subclass' ? new MySet(ms) : new Set(ms);
      if (kind === 'extra') defineData(s, 'extra', 1);
      return s;
    });
  });
  return [mapArb, setArb];
}

export function boxedMakers(): fc.Arbitrary<Maker>[] {
  return [
    fc.double().map((n) => maker(`new Number(${literal(n)})`, () => new Number(n))),
    fc.string({ maxLength: 5 }).map((s) => maker(`new String(${JSON.stringify(s)})`, () => new String(s))),
    fc.boolean().map((b) => maker(`new Boolean(${b})`, () => new Boolean(b))),
    fc.bigInt().map((n) => maker(`Object(${n}n)`, () => Object(n) as object)),
  ];
}

export function errorMaker(v: fc.Arbitrary<Maker>, level: Level): fc.Arbitrary<Maker> {
  const base = fc.record({ type: fc.constantFrom(...ERROR_TYPES), message: fc.string({ maxLength: 8 }), cause: fc.option(v, { freq: 3 }) });
  return base
    .map(({ type, message, cause }) =>
      maker(`new ${type}(${JSON.stringify(message)}${cause ? `, { cause: ${cause.recipe} }` : ''})`, () =>
        cause ? new ERRORS[type](message, { cause: cause() }) : new ERRORS[type](message),
      ),
    )
    .chain((m) =>
      level === 'rich'
        ? fc
            .constantFrom('as is', 'as is', 'extra')
            .map((k) => (k === 'as is' ? m : maker(`Object.assign(${m.recipe}, { details: 1 })`, () => Object.assign(m() as object, { details: 1 }))))
        : fc.constant(m),
    );
}

export function richCompositeMakers(v: fc.Arbitrary<Maker>, plain: fc.Arbitrary<Maker>): fc.Arbitrary<Maker>[] {
  const asObject = (m: Maker): Maker<object> =>
    maker(`Object(${m.recipe})`, () => {
      const x = m();
      return (typeof x === 'object' && x !== null) || typeof x === 'function' ? (x as object) : { v: x };
    });
  return [
    richObjectMaker(v, plain),
    plain.map((m) => maker(`new Proxy(${asObject(m).recipe}, {})`, () => new Proxy(asObject(m)(), {}))),
    // Wrapped in an array: resolving with the value itself would read its `then`.
    v.map((m) => maker(`Promise.resolve([${m.recipe}])`, () => Promise.resolve([m()]))),
    v.map((m) => maker(`new WeakRef(${asObject(m).recipe})`, () => new WeakRef(asObject(m)()))),
    fc
      .tuple(fc.string({ maxLength: 4 }), v)
      .map(([s, m]) => maker(`{ cmd: ${JSON.stringify(`NODE_${s}`)}, payload: ${m.recipe} }`, () => ({ cmd: `NODE_${s}`, payload: m() }))),
    v.map((m) => maker(`{ value: ${m.recipe}, toJSON() { return 'replaced'; } }`, () => ({ value: m(), toJSON: () => 'replaced' }))),
    plain.map((m) =>
      maker(`Object.defineProperty({}, 'g', { get: () => ${m.recipe}, enumerable: true })`, () => {
        const value = m();
        return Object.defineProperty({}, 'g', { get: () => value, enumerable: true, configurable: true });
      }),
    ),
    fc.array(v, { maxLength: 3 }).map((ms) =>
      maker(
        `new AggregateError([${ms.map((m) => m.recipe).join(', ')}], 'many')`,
        () =>
          new AggregateError(
            ms.map((m) => m()),
            'many',
          ),
      ),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Shared references and cycles
// ---------------------------------------------------------------------------------------------

/**
 * After a value is built, ties random inner objects together: `container[tieN] = target`, where
 * a container is an extensible plain object or array of the value (the root included) and a target
 * any object of the value (so an ancestor makes a cycle, anything else a shared reference).
 */
export function withTies(arb: fc.Arbitrary<Maker>): fc.Arbitrary<Maker> {
  return fc.tuple(arb, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 })).map(([m, ties]) => {
    if (ties.length === 0) return m;
    return maker(`${m.recipe} /* ties ${JSON.stringify(ties)} */`, () => {
      const value = m();
      const { containers, targets } = collect(value);
      if (containers.length > 0 && targets.length > 0) {
        ties.forEach(([from, to], i) => defineData(containers[from % containers.length]!, `tie${i}`, targets[to % targets.length]));
      }
      return value;
    });
  });
}

function collect(root: unknown): { containers: object[]; targets: object[] } {
  const containers: object[] = [];
  const targets: object[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object' || seen.has(x) || types.isProxy(x)) continue;
    seen.add(x);
    // Only walk into our own plain containers; never through a proxy or an accessor.
    const proto = Object.getPrototypeOf(x) as unknown;
    const plain = Array.isArray(x) ? proto === Array.prototype : proto === Object.prototype;
    targets.push(x);
    if (!plain) continue;
    if (Object.isExtensible(x)) containers.push(x);
    for (const k of Object.keys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, k);
      if (d && 'value' in d) stack.push(d.value);
    }
  }
  return { containers, targets };
}
