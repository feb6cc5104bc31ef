import { defineConfig } from 'vitest/config';
import { testEnv } from './test/support/test-env.ts';

/**
 * How hard the fuzz and race tests push. `npm test` runs every one of them with the quick counts, enough to reach
 * every branch; `npm run test:deep` (CI runs both) runs them again with the deep counts. An environment variable
 * of the same name overrides either, e.g. `FUZZ_RUNS=10000 npm run test:deep`.
 */
const counts = {
  quick: { FUZZ_RUNS: '200', RACE_ROUNDS: '15', SCALE_REQUESTS_PER_APP: '8', CHAOS_ROUNDS: '24', RULE_RUNS: '150' },
  deep: { FUZZ_RUNS: '2000', RACE_ROUNDS: '60', SCALE_REQUESTS_PER_APP: '25', CHAOS_ROUNDS: '160', RULE_RUNS: '3000' },
};
const countsFor = (depth: keyof typeof counts): Record<string, string> =>
  Object.fromEntries(Object.entries(counts[depth]).map(([name, value]) => [name, process.env[name] ?? value]));

// Every file that may reach the store gets a table of its own; unit and infra tests never reach it, and skip the
// cost of loading the store client per file. The log guard runs everywhere.
const withStore = ['test/support/per-file-table.ts', 'test/support/log-guard.ts'];
const withoutStore = ['test/support/log-guard.ts'];

/** The files whose counts differ between the quick and the deep run. */
const deepFiles = [
  'test/integration/fuzz.test.ts',
  'test/integration/recall-race.test.ts',
  'test/integration/signing-order-race.test.ts',
  'test/integration/edit-signer-race.test.ts',
  'test/integration/signer-proof-race.test.ts',
  'test/integration/races-at-scale.test.ts',
  'test/integration/chaos.test.ts',
  'test/integration/rules-agree.test.ts',
];

// `vitest run --mode deep` (npm run test:deep) runs only the deep files, with the deep counts. The counts live in
// the projects, not the root: Vitest evaluates this file again in its default mode to resolve `extends: true`.
export default defineConfig(({ mode }) => {
  const deep = mode === 'deep';
  return {
    test: {
      globalSetup: ['test/support/global-setup.ts'],
      env: testEnv,
      // Vitest's default on a 2-core machine is one worker; the embedded store runs in the main process, and the
      // integration tests spend much of their time waiting on it, so two workers keep both cores busy.
      maxWorkers: 2,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      projects: deep
        ? [
            {
              extends: true,
              test: {
                name: 'deep',
                include: deepFiles,
                setupFiles: withStore,
                env: countsFor('deep'),
                // Thousands of inputs per test: the time they take depends on the machine and its load, so the
                // timeout only catches a hang (tests never fail on timing).
                testTimeout: 600_000,
              },
            },
          ]
        : [
            {
              extends: true,
              // Unit tests hold no module state between files, so they share worker processes: seconds, not tens.
              test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: withoutStore, isolate: false },
            },
            {
              extends: true,
              test: {
                name: 'integration',
                include: ['test/integration/**/*.test.ts'],
                setupFiles: withStore,
                env: countsFor('quick'),
              },
            },
            {
              extends: true,
              test: {
                name: 'infra',
                include: ['test/infra/**/*.test.ts'],
                setupFiles: withoutStore,
                // One worker process for every infra file: aws-cdk-lib loads once and each synthesized stack is
                // built once (test/infra/synth.ts), instead of both again per file. In a plain `vitest run` they
                // go after the others; `npm test` runs them beside the type check and lint instead.
                isolate: false,
                maxWorkers: 1,
                sequence: { groupOrder: 1 },
                // A full synth with cdk-nag takes about 15 s alone and runs beside tsc and eslint in `npm test`:
                // the timeout only catches a hang.
                testTimeout: 120_000,
                hookTimeout: 120_000,
              },
            },
          ],
    },
  };
});
