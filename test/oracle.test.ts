// Property tests: fast-check builds rich values (src/arbitraries.ts); each is sent through a real
// Worker, real forked children and the in-process json/v8 round trips, and the checker's verdict
// must match what arrived (test/oracle.ts).
// Replay a failure with CLONECHECK_SEED=<seed> (and CLONECHECK_PATH=<path> for the shrunk case).
// Volume: CLONECHECK_RUNS=<n> rich values per channel (default 1000; the lossless-by-construction
// property runs min(n, 150)); CLONECHECK_CHANNELS=worker,json picks channels.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { plainValueMaker, richValueMaker, structuredValueMaker, unusualValueMaker, type Maker } from '../src/arbitraries.js';
import { closeRoundTrip } from '../src/roundtrip.js';
import type { Channel } from '../src/types.js';
import { judge } from './oracle.js';
import { channelsUnderTest, runsUnderTest } from './volume.js';

afterAll(() => closeRoundTrip());

// CI runs one fixed seed, so that a red run is a regression of the checker, never the luck of the
// draw; a developer's run draws a new seed each time to find what no one has seen yet.
const seed = process.env.CLONECHECK_SEED ? Number(process.env.CLONECHECK_SEED) : process.env.CI ? 2026 : Date.now() ^ (process.pid << 8);
const path = process.env.CLONECHECK_PATH;
const RICH_RUNS = runsUnderTest(1000);
const LOSSLESS_RUNS = Math.min(RICH_RUNS, 150);
const UNUSUAL_RUNS = Math.max(1, Math.round(RICH_RUNS / 2));
console.log(`oracle: fast-check seed ${seed} (replay with CLONECHECK_SEED=${seed}), ${RICH_RUNS} rich values per channel`);

const params = (numRuns: number): fc.Parameters<[Maker]> => ({
  seed,
  ...(path ? { path } : {}),
  numRuns,
  endOnFailure: true,
  verbose: fc.VerbosityLevel.None,
});

async function agree(make: Maker, channel: Channel): Promise<void> {
  const verdict = await judge(make(), channel);
  if (verdict.problems.length > 0) {
    const findings = verdict.findings.map((f) => `  ${f.effect} ${f.code} ${f.at}`).join('\n');
    const differences = verdict.differences.map((d) => `  ${d.at} ${d.what}`).join('\n');
    throw new Error(`${channel}: ${verdict.problems.join('\n')}\nvalue: ${make.recipe}\nfindings:\n${findings}\ndifferences:\n${differences}`);
  }
}

/** Values that the channel keeps exactly: structured-clone data on `worker`, JSON data elsewhere. */
const losslessOn = (channel: Channel): fc.Arbitrary<Maker> => (channel === 'worker' ? structuredValueMaker : plainValueMaker);

describe.each(channelsUnderTest())('the checker agrees with a real %s send', (channel) => {
  it(`on ${RICH_RUNS} rich values`, async () => {
    await fc.assert(
      fc.asyncProperty(richValueMaker, (make) => agree(make, channel)),
      params(RICH_RUNS),
    );
  }, 600_000);

  // Replaced prototypes, host objects with own properties, odd Errors, shadowed view properties, ...
  it(`on ${UNUSUAL_RUNS} rich values with unusual ones mixed in`, async () => {
    await fc.assert(
      fc.asyncProperty(unusualValueMaker, (make) => agree(make, channel)),
      params(UNUSUAL_RUNS),
    );
  }, 600_000);

  it('on values that are lossless by construction', async () => {
    await fc.assert(
      fc.asyncProperty(losslessOn(channel), async (make) => {
        const verdict = await judge(make(), channel);
        expect(verdict.problems).toEqual([]);
        expect(verdict.findings.filter((f) => f.effect !== 'note')).toEqual([]);
      }),
      params(LOSSLESS_RUNS),
    );
  }, 300_000);
});
