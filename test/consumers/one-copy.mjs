// An app that reaches clonecheck both ways (its own import, a tool's require) gets one copy of each
// module: one guard, one CloneCheckError class.
import { createRequire } from 'node:module';
import * as esmGuard from 'clonecheck/guard';
import { CloneCheckError, assertCloneable } from 'clonecheck';

const require = createRequire(import.meta.url);
const cjsGuard = require('clonecheck/guard');
const cjs = require('clonecheck');

console.log(`guard: ${esmGuard.install === cjsGuard.install}`);
let caught;
try {
  cjs.assertCloneable({ f() {} }, { channel: 'worker' });
} catch (error) {
  caught = error;
}
console.log(`error class: ${caught instanceof CloneCheckError && cjs.CloneCheckError === CloneCheckError && assertCloneable === cjs.assertCloneable}`);

// The same API both ways: every name `require` gives, `import` gives, and nothing more.
const same = [];
for (const entry of ['clonecheck', 'clonecheck/matchers', 'clonecheck/guard', 'clonecheck/roundtrip', 'clonecheck/arbitraries', 'clonecheck/scan']) {
  const esm = Object.keys(await import(entry)).sort();
  const cjs = Object.keys(require(entry)).sort();
  same.push(JSON.stringify(esm) === JSON.stringify(cjs) ? 'same' : `${entry}: import ${esm} / require ${cjs}`);
}
console.log(`api: ${[...new Set(same)].join('; ')}`);
