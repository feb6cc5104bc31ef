/**
 * Mutation testing (docs/mutation-testing.md): Stryker changes core/ and workflows/ one small edit at a time and
 * runs the unit tests against each change; a change no test notices is a line no test really checks.
 * `npm run test:mutation` runs it; `npm run test:deep` (and so CI) includes it. Options:
 * https://stryker-mutator.io/docs/stryker-js/configuration/
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  // Each test records which mutants it reaches, and a mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  mutate: ['functions/core/**/*.ts', 'functions/workflows/**/*.ts'],
  // Type errors are not test failures: a mutant that no longer type-checks is not one the tests must catch.
  checkers: [],
  // Stryker adds `// @ts-nocheck` to these files in its sandbox; only the mutated code needs it, and the
  // committed generated types must stay byte for byte as written (test/unit/openapi.test.ts compares them).
  disableTypeChecks: 'functions/**/*.ts',
  concurrency: 2,
  // A static mutant (a module-level constant: an event schema, a regex, a limit) can only be tested by reloading
  // every unit test file, which took 86% of the run for 15% of the mutants (tens of minutes on 2 cores). They are
  // left out of the score here; \`npm run test:mutation -- --ignoreStatic false\` runs them too.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  // Nothing the unit tests read: kept out of the sandbox copy Stryker makes.
  ignorePatterns: ['cdk.out', '.data', 'bench/results', 'coverage'],
  // A drop under `break` fails the run as a whole; `npm run test:mutation` (test/support/mutation-gate.ts) then
  // holds core/ and workflows/ each to the same 85%, so a strong folder cannot hide a weak one.
  thresholds: { high: 90, low: 85, break: 85 },
};
