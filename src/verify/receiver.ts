/**
 * The far end of `roundTrip()` / `inspectArrival()`: runs in a Worker (receives on
 * `parentPort.on('message')`) or in a forked child (receives on `process.on('message')`).
 *
 * - mode `echo`: sends back what it received, through the same channel.
 * - mode `inspect`: sends back `describe(received)` as a JSON string, which every channel carries
 *   unchanged, so the sender compares against exactly what arrived.
 *
 * In a child, the value comes alone (so that `send()`'s top-level rules apply to it) and is followed
 * by a trailer `{ [nonce]: { seq, mode } }`. A trailer with no value before it means that the value
 * never reached `process.on('message')`: child_process IPC swallowed it (an object whose `cmd`
 * starts with `NODE_`).
 */
import { parentPort } from 'node:worker_threads';
import { answer, plainError, type ReceiverMode, type ReceiverReply } from './reply.js';

interface WorkerRequest {
  readonly seq: number;
  readonly mode: ReceiverMode;
  readonly value: unknown;
}

if (parentPort !== null) {
  const port = parentPort;
  let lastSeq = 0;
  port.on('message', (msg: WorkerRequest) => {
    lastSeq = msg.seq;
    try {
      port.postMessage(answer(msg.seq, msg.mode, msg.value));
    } catch (e) {
      port.postMessage({ seq: msg.seq, kind: 'reply-failed', error: plainError(e) } satisfies ReceiverReply);
    }
  });
  // A message that can't be deserialized here never reaches 'message'. Requests are one at a time,
  // so it belongs to the request after the last one seen.
  port.on('messageerror', (e: unknown) => {
    lastSeq += 1;
    port.postMessage({ seq: lastSeq, kind: 'messageerror', error: plainError(e) } satisfies ReceiverReply);
  });
} else if (typeof process.send === 'function') {
  const nonce = process.argv[2] ?? '';
  const send = process.send.bind(process);
  let pending: { value: unknown } | undefined;
  const trailerOf = (msg: unknown): { seq: number; mode: ReceiverMode } | undefined => {
    if (msg === null || typeof msg !== 'object' || !Object.hasOwn(msg, nonce)) return undefined;
    return (msg as Record<string, { seq: number; mode: ReceiverMode }>)[nonce];
  };
  const reply = (r: ReceiverReply): void => {
    send({ [nonce]: r });
  };
  process.on('message', (msg: unknown) => {
    const trailer = trailerOf(msg);
    if (trailer === undefined) {
      pending = { value: msg };
      return;
    }
    const got = pending;
    pending = undefined;
    if (got === undefined) {
      reply({ seq: trailer.seq, kind: 'swallowed' });
      return;
    }
    try {
      reply(answer(trailer.seq, trailer.mode, got.value));
    } catch (e) {
      reply({ seq: trailer.seq, kind: 'reply-failed', error: plainError(e) });
    }
  });
}
