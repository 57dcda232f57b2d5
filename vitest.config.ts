import { configDefaults, defineConfig } from 'vitest/config';

// Tests start real servers, databases and browsers on a shared 2-core machine:
// keep file parallelism low and timeouts generous, and never measure speed here. A timeout only
// stops a test that hangs: an e2e test that takes 20 s alone has taken 60 s beside the others.
// test/postgres and test/cluster need a PostgreSQL server (and HAProxy): with DATABASE_URL set
// (`npm run test:postgres` and `npm run test:cluster` start a throwaway one), `npm test` runs
// those suites too.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [] : ['test/postgres/**', 'test/cluster/**'])],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
