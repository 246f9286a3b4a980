// Every case of the fixed corpus, sent through a real Worker, real forked children (json and
// advanced serialization) and the in-process json/v8 round trips: the checker's verdict must match
// what the receiver actually got. CLONECHECK_CHANNELS=worker,json picks channels.
import { afterAll, describe, expect, it } from 'vitest';
import { closeRoundTrip } from '../src/roundtrip.js';
import { corpus } from './corpus.js';
import { judge } from './oracle.js';
import { channelsUnderTest } from './volume.js';

afterAll(() => closeRoundTrip());

describe('the fixed corpus against the real channels', () => {
  for (const c of corpus) {
    if (c.notSent) continue;
    for (const channel of channelsUnderTest()) {
      it(`${c.name} (${channel})`, async () => {
        const verdict = await judge(c.make(), channel);
        expect(verdict.problems).toEqual([]);
      });
    }
  }
});
