import { defineConfig } from 'vitest/config';

// The real agent CLIs (issue 12): not part of `npm test`. One file at a time, because each
// CLI is a heavy process tree and the machines have two cores; generous timeouts for the same reason.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/agents/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
