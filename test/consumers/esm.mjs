// An ES module consumer: every library entry by `import`, one line of output per entry.
import { check, assertCloneable, CloneCheckError } from 'clonecheck';
import { toBeCloneable } from 'clonecheck/matchers';
import { diff } from 'clonecheck/roundtrip';
import * as guard from 'clonecheck/guard';

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
