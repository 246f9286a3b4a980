// A CommonJS consumer: every library entry by `require`, the same lines as esm.mjs.
const { check, assertCloneable, CloneCheckError } = require('clonecheck');
const { toBeCloneable } = require('clonecheck/matchers');
const { diff } = require('clonecheck/roundtrip');
const guard = require('clonecheck/guard');

const codes = check({ f() {} }, { channels: ['worker'] }).findings.map((f) => f.code);
console.log(`clonecheck: ${codes.join()}`);
try {
  assertCloneable({ when: new Date(0) }, { channel: 'fork' });
} catch (error) {
  console.log(`assertCloneable: ${error instanceof CloneCheckError}`);
}
console.log(`matchers: ${toBeCloneable.call(undefined, { a: 1 }).pass}`);
console.log(`roundtrip: ${typeof diff}`);
console.log(`guard: ${typeof guard.install}`);
