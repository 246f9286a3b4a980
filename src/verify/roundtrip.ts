/**
 * Real sends, for ground truth: `roundTrip()` sends a value through a real channel and resolves
 * with what comes back; `inspectArrival()` sends it and resolves with a description of what the
 * receiver got (see `./describe.js`), taken on the receiver's side. The receivers are in
 * `./receivers.js`.
 */
import { describe } from './describe.js';
import type { Description } from './description.js';
import { closeReceivers, enqueue, errorInfo, receiverFor, type ErrorInfo, type Outcome } from './receivers.js';
import type { Channel } from '../types.js';

export { errorInfo, type ErrorInfo };

/** What a real send of a value did, and what arrived. `sent` is the sender's description, taken right before the send. */
export type Arrival =
  | { readonly outcome: 'arrived'; readonly threw: false; readonly sent: Description; readonly description: Description }
  | { readonly outcome: 'threw'; readonly threw: true; readonly sent: Description; readonly error: ErrorInfo }
  | { readonly outcome: 'swallowed'; readonly threw: false; readonly swallowed: true; readonly sent: Description }
  /** `json` only: `JSON.stringify()` returned `undefined` (a top-level `undefined`, function or symbol), so nothing was sent, and nothing failed. */
  | { readonly outcome: 'lost'; readonly threw: false; readonly lost: true; readonly sent: Description }
  | {
      readonly outcome: 'crashed';
      readonly threw: false;
      readonly crashed: true;
      readonly sent: Description;
      /** Why nothing usable arrived: the receiver died, or could not deserialize the message (`messageerror`). */
      readonly reason: 'exit' | 'messageerror';
      readonly error?: ErrorInfo;
    };

/** Why `roundTrip()` did not resolve with a value. */
export class RoundTripError extends Error {
  override readonly name = 'RoundTripError';
  constructor(
    message: string,
    readonly channel: Channel,
    readonly reason: 'threw' | 'swallowed' | 'lost' | 'crashed' | 'messageerror' | 'reply-failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

function describeFailure(channel: Channel, outcome: Exclude<Outcome, { kind: 'reply' }>): RoundTripError {
  if (outcome.kind === 'threw') {
    const { name, message } = errorInfo(outcome.error);
    return new RoundTripError(`${channel}: the send threw ${name}: ${message}`, channel, 'threw', { cause: outcome.error });
  }
  return new RoundTripError(`${channel}: nothing arrived, the receiver crashed: ${outcome.error.message}`, channel, 'crashed');
}

/**
 * Sends `value` through a real channel and resolves with what the receiver sent back.
 *
 * - `worker`: a real `Worker`, by `postMessage`.
 * - `fork`: a real forked Node child with `serialization: 'json'`, by `child.send`.
 * - `fork-advanced`: the same with `serialization: 'advanced'`.
 * - `json`: `JSON.parse(JSON.stringify(value))`, in this process.
 * - `v8`: `v8.deserialize(v8.serialize(value))`, in this process.
 *
 * The way back is itself a send through the same channel. In practice it is lossless for what the
 * first trip produces (JSON data is JSON again; what the structured clone and V8 deserializers
 * create they serialize again), except that typed arrays received through `fork-advanced` sit in a
 * larger IPC buffer; use `inspectArrival()` to see exactly what arrived.
 *
 * Rejects with a `RoundTripError`: `reason: 'threw'` when the send throws (the sender's error is
 * `cause`), `'swallowed'` when nothing arrives (child_process IPC takes an object whose `cmd`
 * starts with `NODE_` as its own), `'crashed'` when the receiver dies (it is restarted on the next
 * call), `'messageerror'` when the worker can't deserialize the message (or `v8.deserialize()`
 * throws), `'lost'` when `JSON.stringify()` returns `undefined` on `json`, so nothing is sent.
 *
 * @example await roundTrip(new Map([[1, 2]]), 'fork') // {}
 */
export function roundTrip(value: unknown, channel: Channel): Promise<unknown> {
  const receiver = receiverFor(channel);
  return enqueue(channel, async () => {
    const outcome = await receiver.request('echo', value, () => undefined);
    if (outcome.kind !== 'reply') throw describeFailure(channel, outcome);
    const { reply } = outcome;
    switch (reply.kind) {
      case 'value':
        return reply.value;
      case 'swallowed':
        throw new RoundTripError(
          `${channel}: nothing arrived: child_process IPC took the message as one of its own (an object whose cmd starts with "NODE_")`,
          channel,
          'swallowed',
        );
      case 'lost':
        throw new RoundTripError(`${channel}: nothing was sent: JSON.stringify() returned undefined for this value`, channel, 'lost');
      case 'messageerror':
        throw new RoundTripError(`${channel}: the receiver could not deserialize the message: ${reply.error.message}`, channel, 'messageerror');
      default:
        throw new RoundTripError(
          `${channel}: the receiver could not send the value back: ${'error' in reply ? reply.error.message : reply.kind}`,
          channel,
          'reply-failed',
        );
    }
  });
}

/**
 * Sends `value` through a real channel; the receiver describes what it got (`describe()` from
 * `./describe.js`) and sends the description back as a JSON string, which every channel carries
 * unchanged. The sender's description is taken synchronously right before the send. Compare the
 * two with `diffDescriptions(arrival.sent, arrival.description)`.
 */
export function inspectArrival(value: unknown, channel: Channel): Promise<Arrival> {
  const receiver = receiverFor(channel);
  return enqueue(channel, async (): Promise<Arrival> => {
    let sent: Description | undefined;
    const outcome = await receiver.request('inspect', value, () => {
      sent = describe(value);
    });
    if (sent === undefined) sent = describe(value); // the receiver could not even be reached
    if (outcome.kind === 'threw') return { outcome: 'threw', threw: true, sent, error: errorInfo(outcome.error) };
    if (outcome.kind === 'crashed') return { outcome: 'crashed', threw: false, crashed: true, sent, reason: 'exit', error: outcome.error };
    const { reply } = outcome;
    switch (reply.kind) {
      case 'description':
        return { outcome: 'arrived', threw: false, sent, description: JSON.parse(reply.json) as Description };
      case 'swallowed':
        return { outcome: 'swallowed', threw: false, swallowed: true, sent };
      case 'lost':
        return { outcome: 'lost', threw: false, lost: true, sent };
      case 'messageerror':
        return { outcome: 'crashed', threw: false, crashed: true, sent, reason: 'messageerror', error: reply.error };
      default:
        return {
          outcome: 'crashed',
          threw: false,
          crashed: true,
          sent,
          reason: 'exit',
          error: 'error' in reply ? reply.error : { name: 'Error', message: reply.kind },
        };
    }
  });
}

/** Stops the receivers (they are restarted by the next call). */
export function closeRoundTrip(): Promise<void> {
  return closeReceivers();
}

export { closeRoundTrip as close };
