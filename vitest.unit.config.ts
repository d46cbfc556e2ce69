// The unit tests alone (no registry process, no built dist): what mutation testing runs against
// every mutant (`npm run mutate`, stryker.config.mjs), and a quick loop while working.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
