// clonecheck/vitest types expect(...).toBeCloneable() for Vitest users.
import { expect } from 'vitest';
import 'clonecheck/vitest';

export function run(): void {
  expect({ a: 1 }).toBeCloneable({ channel: 'worker' });
  expect({ f() {} }).not.toBeCloneable();
}
