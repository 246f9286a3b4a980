// The floor of a walk the rules need, next to check() and v8.serialize() on the same payload: what
// a walk that keeps identity (a Map of every object), lists every own name and symbol and reads a
// descriptor per property costs before it judges anything. Minimum CPU time of interleaved rounds.
//
//   npm run build && node --expose-gc bench/floor.js [state|rich] [values]
import v8 from 'node:v8';
import { check } from '../dist/index.mjs';
import { stateLike } from './payloads.js';

const [kind = 'state', n = '1e6'] = process.argv.slice(2);
const value = stateLike(Number(n), { rich: kind === 'rich' }).value;

/** Identity Map, own names and symbols, a descriptor per property; nothing judged, nothing made. */
function floorWalk(root) {
  const seen = new Map();
  const stack = [root];
  let props = 0;
  while (stack.length > 0) {
    const o = stack.pop();
    if (seen.has(o)) continue;
    seen.set(o, stack.length);
    const names = Object.getOwnPropertyNames(o);
    const symbols = Object.getOwnPropertySymbols(o);
    props += symbols.length;
    for (let i = 0; i < names.length; i++) {
      const d = Reflect.getOwnPropertyDescriptor(o, names[i]);
      const v = d.value;
      if (v !== null && typeof v === 'object') stack.push(v);
      props++;
    }
  }
  return props;
}

/** The same without descriptors (direct reads, which would run getters) and without symbols. */
function keysWalk(root) {
  const seen = new Map();
  const stack = [root];
  let props = 0;
  while (stack.length > 0) {
    const o = stack.pop();
    if (seen.has(o)) continue;
    seen.set(o, stack.length);
    const keys = Object.keys(o);
    for (let i = 0; i < keys.length; i++) {
      const v = o[keys[i]];
      if (v !== null && typeof v === 'object') stack.push(v);
      props++;
    }
  }
  return props;
}

const cpu = (fn) => {
  globalThis.gc();
  const s = process.cpuUsage();
  fn(value);
  const e = process.cpuUsage(s);
  return (e.user + e.system) / 1000;
};
const methods = [
  ['check() all 3', (v) => check(v)],
  ['floor: Map + names + symbols + descriptors', floorWalk],
  ['Map + Object.keys + direct reads', keysWalk],
  ['v8.serialize', (v) => v8.serialize(v)],
];
for (const [, fn] of methods) (cpu(fn), cpu(fn));
const best = methods.map(() => Infinity);
for (let r = 0; r < 7; r++) {
  const order = methods.map((_, i) => i);
  if (r % 2) order.reverse();
  for (const i of order) best[i] = Math.min(best[i], cpu(methods[i][1]));
}
const ser = best[best.length - 1];
for (let i = 0; i < methods.length; i++) console.log(`${methods[i][0].padEnd(44)} ${best[i].toFixed(1).padStart(7)} ms  ${(best[i] / ser).toFixed(2)}x`);
