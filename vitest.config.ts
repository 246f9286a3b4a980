import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real Workers and forked children: give slow CI machines room, and keep runs in order per file.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
