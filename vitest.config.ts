import { defineConfig } from 'vitest/config';

// forks: native addons (better-sqlite3, fs-ext, node-pty) and child processes behave best in
// separate processes; two workers match the 2-core machines this runs on.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.{ts,tsx}', 'test/e2e/**/*.test.{ts,tsx}'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/global-setup.ts'],
    // ink renders nothing but the last frame when it thinks it runs in CI; the dashboard's
    // tests need its real output, so CI=true from the environment is neutralised here.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
