import { expect } from 'vitest';
import { toBeCloneable, type ToBeCloneableOptions } from './matchers.js';

// The one file that imports vitest: `import 'clonecheck/vitest'` (in a test or a setupFiles entry)
// registers the matchers on vitest's `expect` and teaches TypeScript about them.
expect.extend({ toBeCloneable });

interface CloneCheckMatchers<R = unknown> {
  /**
   * Passes when nothing of the value would throw or be lost on the channels asked (all three by
   * default); a reshape (a frozen object arriving unfrozen, ...) passes unless `strict: true`.
   * Options: `channel(s)`, `failOn`, `strict`, `ignore`, `target`, `transferList`, `config`.
   *
   * @example expect(message).toBeCloneable({ channel: 'fork' })
   * @example expect({ onDone() {} }).not.toBeCloneable({ channel: 'worker' })
   */
  toBeCloneable(options?: ToBeCloneableOptions): R;
}

declare module 'vitest' {
  // Vitest >= 3.2 reads custom matchers from `Matchers` (both `expect(x)` and `expect.not`).
  interface Matchers<T = any> extends CloneCheckMatchers<T> {}
}

export type { ToBeCloneableOptions };
