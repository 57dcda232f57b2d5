import { defineConfig } from 'vitest/config';

// Tests start real servers, databases and browsers on a shared 2-core machine:
// keep file parallelism low and timeouts generous, and never measure speed here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
