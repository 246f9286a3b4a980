// Vitest, set up as the README says: import 'clonecheck/vitest' once, then expect(...).toBeCloneable().
import { expect, test } from 'vitest';
import 'clonecheck/vitest';

test('a plain message is cloneable', () => {
  expect({ id: 1, tags: ['a'] }).toBeCloneable({ channel: 'fork' });
});

test('a function is not, and the failure names its path', () => {
  expect(() => expect({ job: { run() {} } }).toBeCloneable({ channel: 'worker' })).toThrow('$.job.run');
  expect({ job: { run() {} } }).not.toBeCloneable({ channel: 'worker' });
});
