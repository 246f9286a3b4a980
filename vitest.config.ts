import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The suite that re-runs the real-channel suites inside every other Node.js line takes several
 * minutes on its own: started first, it runs beside all the others instead of after them (on a
 * fresh clone vitest has no timings and would order files by size, which puts it last).
 */
class LinesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (spec: TestSpecification): number => (spec.moduleId.endsWith('/test/lines/lines.test.ts') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real Workers and forked children: give slow CI machines room, and keep runs in order per file.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time, even on two cores (vitest would take one): the lines suite waits on the
    // other lines' processes most of its time, and the rest runs beside it.
    maxWorkers: 2,
    sequence: { sequencer: LinesFirst },
  },
});
