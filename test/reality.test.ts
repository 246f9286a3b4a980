// Every case of the fixed corpus, sent through a real Worker and real forked children (json and
// advanced serialization): the checker's verdict must match what the receiver actually got.
import { afterAll, describe, expect, it } from 'vitest';
import { closeRoundTrip } from '../src/roundtrip.js';
import { CHANNELS } from '../src/types.js';
import { corpus } from './corpus.js';
import { judge } from './oracle.js';

afterAll(() => closeRoundTrip());

describe('the fixed corpus against the real channels', () => {
  for (const c of corpus) {
    if (c.notSent) continue;
    for (const channel of CHANNELS) {
      it(`${c.name} (${channel})`, async () => {
        const verdict = await judge(c.make(), channel);
        expect(verdict.problems).toEqual([]);
      });
    }
  }
});
