// A send the guard let through that Node then refused: the same error, with what clonecheck finds.
import { check } from '../check/index.js';
import { formatErrorMessage } from '../errors.js';
import type { FindingCode } from '../findings/codes.js';
import { severityOfFinding } from '../policy/index.js';
import type { Finding } from '../types.js';
import type { Policy } from './options.js';
import type { Describe } from './sends.js';

/**
 * The guard lets some sends through unchecked, or checked without failing: a library's send from
 * under `node_modules` (a pool posting your task, a queue writing your job), a site already checked
 * with `once`, a message `sample` passed over, a channel the policy leaves out, `warn` mode. When
 * Node then refuses the message, its error says `#<Object> could not be cloned.` (or
 * `Converting circular structure to JSON`) and no more. This adds, to that same error object, the
 * paths and rules by which clonecheck finds that the send throws, so that a library which catches
 * it by name or class (`DataCloneError`, `TypeError`) still does, and the person reading it sees
 * where. Nothing is added when clonecheck finds no throw on that channel; nothing here ever
 * replaces or hides Node's error. Nor when the send runs the user's code (a getter, a toJSON, a
 * Proxy's traps) or the check stopped before the end: the error may then be one that code threw,
 * the user's own object, which is left as it is.
 */
export function explainRefusal(error: unknown, policy: Policy, describe: Describe, self: unknown, args: readonly unknown[]): void {
  try {
    if (!(error instanceof Error)) return;
    const send = describe(self, args);
    if (send === undefined || send.channel === undefined) return;
    const result = check(send.value, {
      channels: [send.channel],
      root: send.root,
      transferList: send.transferList,
      target: policy.target,
      maxFindings: policy.maxFindings,
    });
    if (result.truncated) return;
    const throws: Finding[] = [];
    for (const f of result.findings) {
      if (RUNS_CODE.has(f.code)) return;
      if (severityOfFinding(f) === 'throw') throws.push(f);
    }
    if (throws.length === 0) return;
    const before = error.message;
    // Read before the message changes: V8 writes a stack out when it is first read, with the message of that moment.
    const stack = error.stack;
    const text = formatErrorMessage(throws, { title: `${send.api} on the ${send.channel} channel` });
    const message = `${before}\n\nclonecheck: ${text}`;
    Object.defineProperty(error, 'message', { value: message, writable: true, enumerable: false, configurable: true });
    if (typeof stack === 'string') {
      const at = stack.indexOf(before);
      if (at !== -1)
        Object.defineProperty(error, 'stack', {
          value: stack.slice(0, at) + message + stack.slice(at + before.length),
          writable: true,
          enumerable: false,
          configurable: true,
        });
    }
    Object.defineProperty(error, 'findings', { value: Object.freeze(throws), configurable: true });
  } catch {
    // Explaining is a courtesy: Node's own error goes on as it was.
  }
}

/** What the send runs of the user's code, which may throw an error of its own. */
const RUNS_CODE: ReadonlySet<FindingCode> = new Set<FindingCode>(['ACCESSOR_FLATTENED', 'TOJSON_CALLED', 'PROXY_UNWRAPPED']);
