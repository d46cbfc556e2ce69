// Mutation testing of the pure modules (docs/mutation-testing.md): StrykerJS 9 (10 needs Node 22)
// with the vitest runner over the unit tests only. Not in CI: a full run takes a long while.
//   npm run mutate                                   every module group below
//   npm run mutate -- --mutate 'src/config/**/*.ts'  one group (what a 2-core machine can afford)
// Incremental: results are kept in reports/stryker-incremental.json and reused for unchanged code
// and tests, so a rerun after a small change only tests the mutants it touched.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.unit.config.ts' },
  // perTest: each mutant runs only the tests that cover it
  coverageAnalysis: 'perTest',
  // mutants in module-level constants would run every test for each one; they are counted apart
  ignoreStatic: true,
  mutate: [
    // the plan, the selection and the run's decisions
    'src/retag/**/*.ts',
    // tag-file loading, schema and rules
    'src/config/**/*.ts',
    // the refs scanner; its file walking and atomic writes are fs plumbing covered by integration tests
    'src/refs/**/*.ts',
    '!src/refs/walk.ts',
    '!src/refs/write-atomic.ts',
    // registry parsers and decisions: WWW-Authenticate, image references, retry
    'src/registry/**/www-authenticate.ts',
    'src/registry/reference.ts',
    'src/image-name/**/*.ts',
    'src/registry/retry.ts',
    // type-only modules and re-exports have nothing to mutate
    '!src/**/types.ts',
    '!src/**/index.ts',
  ],
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0, reportScoreTable: true, reportMutants: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  timeoutMS: 5_000,
};
