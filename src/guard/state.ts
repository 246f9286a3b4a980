// The guard's state for this thread: the installed policy, and how deep inside Node's own send the
// current call is.
import { HELPER_POLICY, type Policy } from './options.js';

export const guardState: {
  /** The policy of `install()`, or undefined when the guard is not installed. */
  installed: Policy | undefined;
  /** The helpers' policy while a guard is installed: its fail level, ignores and target. */
  helper: Policy | undefined;
  /**
   * Above 0 while a guarded send runs Node's own function: Node's `Worker#postMessage` calls
   * `MessagePort#postMessage`, `cluster`'s `worker.send()` calls `child.send()`, and `new Worker`
   * posts its workerData through a port. The outer call checks; the inner ones pass.
   */
  depth: number;
} = { installed: undefined, helper: undefined, depth: 0 };

/** The explicit helpers' policy: always check and throw, with an installed guard's fail level, ignores and target. */
export function helperPolicy(): Policy {
  return guardState.helper ?? HELPER_POLICY;
}
