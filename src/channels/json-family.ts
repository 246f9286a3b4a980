// Rules shared by the JSON channels (fork, json) and by Node's IPC (fork, fork-advanced).
import type { ChannelDefinition } from './define-channel.js';

/** child.send() and process.send() refuse these as the whole message (ERR_INVALID_ARG_TYPE / ERR_MISSING_ARGS). */
export const IPC_ROOT: ChannelDefinition['root'] = {
  undefined: 'SEND_REFUSES_VALUE',
  bigint: 'SEND_REFUSES_VALUE',
  symbol: 'SEND_REFUSES_VALUE',
  function: 'SEND_REFUSES_VALUE',
};

/**
 * JSON.stringify() of a top-level undefined, function or symbol gives undefined: nothing to send or
 * store (JSON.parse of it throws); a top-level bigint throws like a nested one.
 */
export const JSON_ROOT: ChannelDefinition['root'] = {
  undefined: 'TOP_LEVEL_DROPPED',
  symbol: 'TOP_LEVEL_DROPPED',
  function: 'TOP_LEVEL_DROPPED',
  bigint: 'BIGINT_NOT_JSON',
};

/**
 * JSON.stringify's own recursion limit: chains of 4,106 / 4,093 / 4,386 objects pass on Node 20 / 22 / 24;
 * from Node 26 it does not recurse (200,000 levels pass; test/lines/measured/).
 */
export const JSON_NESTING_LIMIT = { 20: 4000, 26: Infinity } as const;
