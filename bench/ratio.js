// A quick, quiet-machine view of check() against v8.serialize() in the same process, by minimum CPU
// time: `npm run build && node --expose-gc bench/ratio.js` (NOORIG=1 turns origins off).
import v8 from 'node:v8';
const OPT = process.env.NOORIG ? { origins: false } : undefined;
import { check } from '../dist/index.mjs';
import { stateLike } from './payloads.js';
const cpu = (f) => {
  const s = process.cpuUsage();
  f();
  const e = process.cpuUsage(s);
  return (e.user + e.system) / 1000;
};
for (const [n, rich] of [
  [1e5, false],
  [1e6, false],
  [1e5, true],
  [1e6, true],
]) {
  const v = stateLike(n, { rich });
  for (let i = 0; i < 3; i++) {
    check(v, OPT);
    v8.serialize(v);
  }
  const a = [],
    b = [];
  for (let i = 0; i < (n > 1e5 ? 5 : 15); i++) {
    a.push(cpu(() => check(v, OPT)));
    b.push(cpu(() => v8.serialize(v)));
  }
  const ca = Math.min(...a),
    cb = Math.min(...b);
  console.log(`${rich ? 'rich' : 'state'} ${n}: check() all 3 ${ca.toFixed(1)} ms, v8.serialize ${cb.toFixed(1)} ms, ratio ${(ca / cb).toFixed(2)}x`);
}
