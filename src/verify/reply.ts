/**
 * What a receiver answers, shared by the far end (`./receiver.ts`, in a Worker or a forked child)
 * and the in-process channels (`json`, `v8`). No side effects: importing it starts nothing.
 */
import { describe } from './describe.js';

export type ReceiverMode = 'echo' | 'inspect';

/** A reply from the receiver. `seq` ties it to its request. */
export type ReceiverReply =
  | { readonly seq: number; readonly kind: 'value'; readonly value: unknown }
  | { readonly seq: number; readonly kind: 'description'; readonly json: string }
  | { readonly seq: number; readonly kind: 'swallowed' }
  /** Nothing was sent and nothing failed: `JSON.stringify()` returned `undefined`. */
  | { readonly seq: number; readonly kind: 'lost' }
  | { readonly seq: number; readonly kind: 'reply-failed'; readonly error: { name: string; message: string } }
  | { readonly seq: number; readonly kind: 'messageerror'; readonly error: { name: string; message: string } };

export function plainError(e: unknown): { name: string; message: string } {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: typeof e === 'string' ? e : 'non-Error thrown' };
}

/** `echo`: the value itself; `inspect`: its description as a JSON string, which every channel carries unchanged. */
export function answer(seq: number, mode: ReceiverMode, value: unknown): ReceiverReply {
  return mode === 'inspect' ? { seq, kind: 'description', json: JSON.stringify(describe(value)) } : { seq, kind: 'value', value };
}
