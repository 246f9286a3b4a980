// Deterministic payloads for bench/run.js. Every builder takes its size and draws from its own
// seeded PRNG, so two runs (and two machines) measure the same values.

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_';

const CODES = Array.from(ALPHABET, (ch) => ch.charCodeAt(0));
const scratch = [];

/** A flat string of min..max characters (flat like the strings JSON.parse makes, not a rope). */
function word(rand, min, max) {
  const n = min + Math.floor(rand() * (max - min + 1));
  scratch.length = n;
  for (let i = 0; i < n; i++) scratch[i] = CODES[Math.floor(rand() * CODES.length)];
  return String.fromCharCode.apply(null, scratch);
}

// Class instances of the rich payload: the ordinary shapes a store ends up holding.
export class Address {
  constructor(street, city, zip) {
    this.street = street;
    this.city = city;
    this.zip = zip;
  }
  format() {
    return `${this.street}, ${this.zip} ${this.city}`;
  }
}

export class Money {
  constructor(amount, currency) {
    this.amount = amount;
    this.currency = currency;
  }
  toString() {
    return `${this.amount} ${this.currency}`;
  }
}

/**
 * Redux-like state: normalized entity tables (`byId` + `allIds`) of users, posts and comments,
 * plus some session and UI state. `values` counts every node: each object, array and primitive.
 * With `rich`, some plain parts become Dates, Maps, Sets, typed arrays and class instances
 * (about the same number of values, so the two variants compare).
 */
export function stateLike(values, { rich = false, seed = 1 } = {}) {
  const rand = prng(seed);
  let count = 0;
  const state = {
    session: { userId: 'u0', token: word(rand, 32, 32), expires: 1767225600000, roles: ['reader', 'writer'] },
    ui: { theme: 'dark', sidebar: { open: true, width: 280 }, modals: [], toasts: [{ id: 1, text: 'Welcome back', level: 'info' }] },
    entities: {
      users: { byId: {}, allIds: [] },
      posts: { byId: {}, allIds: [] },
      comments: { byId: {}, allIds: [] },
    },
  };
  count = countValues(state);
  const { users, posts, comments } = state.entities;
  let u = 0;
  let p = 0;
  let c = 0;
  while (count < values) {
    const pick = rand();
    if (pick < 0.2 || u === 0) {
      const id = `u${u++}`;
      const tags = [word(rand, 3, 8), word(rand, 3, 8), word(rand, 3, 8)];
      users.byId[id] = {
        id,
        name: word(rand, 5, 16),
        email: `${word(rand, 4, 10)}@example.com`,
        age: 18 + Math.floor(rand() * 60),
        score: Math.round(rand() * 1e6) / 100,
        active: rand() < 0.8,
        tags: rich ? new Set(tags) : tags,
        address: rich
          ? new Address(word(rand, 8, 20), word(rand, 4, 12), String(10000 + Math.floor(rand() * 89999)))
          : { street: word(rand, 8, 20), city: word(rand, 4, 12), zip: String(10000 + Math.floor(rand() * 89999)) },
        prefs: rich
          ? new Map([
              ['theme', rand() < 0.5 ? 'dark' : 'light'],
              ['notify', rand() < 0.5],
              ['lang', 'en'],
            ])
          : { theme: rand() < 0.5 ? 'dark' : 'light', notify: rand() < 0.5, lang: 'en' },
        lastSeen: rich ? new Date(1700000000000 + Math.floor(rand() * 1e10)) : rand() < 0.5 ? null : 1700000000000 + Math.floor(rand() * 1e10),
      };
      users.allIds.push(id);
      // object 1, six fields, tags 1+3, address 1+3, prefs 1+3 (as a Map 1+3+3), lastSeen 1; its allIds entry 1
      count += rich ? 24 : 21;
    } else if (pick < 0.55) {
      const id = `p${p++}`;
      const nTags = 1 + Math.floor(rand() * 4);
      const tagIds = [];
      for (let i = 0; i < nTags; i++) tagIds.push(Math.floor(rand() * 500));
      posts.byId[id] = {
        id,
        authorId: `u${Math.floor(rand() * u)}`,
        title: word(rand, 10, 40),
        body: word(rand, 40, 200),
        likes: Math.floor(rand() * 1000),
        tagIds: rich ? Int32Array.from(tagIds) : tagIds,
        price: rich ? new Money(Math.floor(rand() * 10000) / 100, 'EUR') : { amount: Math.floor(rand() * 10000) / 100, currency: 'EUR' },
        meta: { created: rich ? new Date(1700000000000 + Math.floor(rand() * 1e10)) : 1700000000000 + Math.floor(rand() * 1e10), edited: rand() < 0.1 },
      };
      posts.allIds.push(id);
      // object 1, five fields, tagIds 1+n (a typed array is one value), price 1+2, meta 1+2; its allIds entry 1
      count += rich ? 14 : 14 + nTags;
    } else {
      const id = `c${c++}`;
      comments.byId[id] = {
        id,
        postId: `p${Math.floor(rand() * Math.max(1, p))}`,
        authorId: `u${Math.floor(rand() * u)}`,
        text: word(rand, 10, 120),
        at: rich ? new Date(1700000000000 + Math.floor(rand() * 1e10)) : 1700000000000 + Math.floor(rand() * 1e10),
        flagged: rand() < 0.02,
      };
      comments.allIds.push(id);
      count += 8;
    }
  }
  return { value: state, values: countValues(state) };
}

/** Every node of a value: objects, arrays, primitives, Map keys and values, Set members (a typed array is one). */
export function countValues(root) {
  let n = 0;
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    n++;
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    else if (!(v instanceof Date)) for (const k of Object.keys(v)) stack.push(v[k]);
  }
  return n;
}

/** `{ next: { next: ... } }`, `depth` objects deep, each with a small payload. */
export function chain(depth) {
  let node = { id: depth, next: null };
  for (let i = depth - 1; i > 0; i--) node = { id: i, next: node };
  return { value: node, values: depth * 3 };
}

/** One object with `keys` own properties (a dictionary-mode object, as V8 stores big ones). */
export function wideObject(keys, { seed = 2 } = {}) {
  const rand = prng(seed);
  const o = {};
  for (let i = 0; i < keys; i++) o[`k${i}`] = i % 3 === 0 ? word(rand, 1, 8) : Math.floor(rand() * 1e6);
  return { value: o, values: keys + 1 };
}

/** A packed array of `n` doubles. */
export function numberArray(n, { seed = 3 } = {}) {
  const rand = prng(seed);
  const a = [];
  for (let i = 0; i < n; i++) a.push(Math.floor(rand() * 1e9) / 1000);
  return { value: a, values: n + 1 };
}

/** A flat one-byte string of `bytes` characters, inside a message object. */
export function longString(bytes, { seed = 4 } = {}) {
  const rand = prng(seed);
  const chunk = word(rand, 4096, 4096);
  // JSON.parse makes a fresh sequential string of exactly `bytes` characters: not a rope, not a
  // slice of a larger string, not an external string, so no measured call flattens it first.
  const text = JSON.parse(JSON.stringify(chunk.repeat(Math.ceil(bytes / chunk.length)).slice(0, bytes)));
  return { value: { kind: 'blob', text }, values: 3 };
}

/** A Buffer of `bytes` bytes (its own backing store, not the pool), inside a message object. */
export function bigBuffer(bytes, { seed = 5 } = {}) {
  const rand = prng(seed);
  const b = Buffer.allocUnsafeSlow(bytes);
  let x = Math.floor(rand() * 2 ** 32);
  for (let i = 0; i < bytes; i += 4) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b.writeUInt32LE(x, i);
  }
  return { value: { kind: 'file', data: b }, values: 3 };
}

/** A Float64Array of `n` elements, inside a message object. */
export function floatArray(n, { seed = 6 } = {}) {
  const rand = prng(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rand();
  return { value: { kind: 'samples', data: a }, values: 3 };
}

/**
 * An array of `n` NaNs, numbers that JSON turns into null: one finding (NUMBER_NOT_JSON, fork) per
 * element, while every baseline, findNonSerializableValue included, walks it completely.
 */
export function nanArray(n) {
  const a = [];
  for (let i = 0; i < n; i++) a.push(NaN);
  return { value: a, values: n + 1, findings: n };
}

/**
 * An array of `n` class instances: three findings (PROTOTYPE_LOST on each channel) per element,
 * with a message naming the class's methods.
 */
export function instanceArray(n, { seed = 7 } = {}) {
  const rand = prng(seed);
  const a = [];
  for (let i = 0; i < n; i++) a.push(new Money(Math.floor(rand() * 10000) / 100, 'EUR'));
  return { value: a, values: n * 3 + 1, findings: 3 * n };
}

/** `n` references to one object from one array: JSON duplicates each (one finding per element). */
export function sharedRefs(n) {
  const shared = { id: 'shared', tags: ['a', 'b'] };
  const a = [];
  for (let i = 0; i < n; i++) a.push({ i, ref: shared });
  return { value: a, values: n * 3 + 5, findings: n - 1 };
}

/** An array of length 2**32-1 with one element: a walk by index would never end. */
export function hugeSparse() {
  const a = [];
  a[2 ** 32 - 2] = 1;
  return { value: { list: a }, values: 3 };
}
