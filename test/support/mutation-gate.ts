import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { folderScore, type MutationReport } from './mutation-score.ts';

/**
 * `npm run test:mutation`: runs Stryker with the arguments given, then holds each mutated folder to its own
 * floor. Stryker's `thresholds.break` judges the whole run only, where a strong folder can hide a weak one; this
 * gate fails the run when functions/core/ or functions/workflows/ alone scores under FLOOR. A run limited with
 * `--mutate` (a few files, while writing their tests) prints the folders' scores without gating them.
 */
const FLOOR = 85;
const FOLDERS = ['functions/core/', 'functions/workflows/'];
// The jsonReporter's fileName in stryker.config.mjs.
const REPORT = 'reports/mutation/mutation.json';

const args = process.argv.slice(2);
const started = Date.now();
// Stryker's own command, run with this node: the same on every platform, with or without `npm run` (the package
// exports no path to it, so it is named where npm installs it).
const strykerBin = resolve('node_modules/@stryker-mutator/core/bin/stryker.js');
const stryker = spawnSync(process.execPath, [strykerBin, 'run', ...args], { stdio: 'inherit' });

// A run that stopped before writing its report (a failing dry run) leaves an older report behind: not this run's.
const fresh = (() => {
  try {
    return statSync(REPORT).mtimeMs >= started;
  } catch {
    return false;
  }
})();
if (!fresh) {
  console.error(`mutation gate: Stryker wrote no report (${REPORT}) in this run; nothing to gate`);
  process.exit(stryker.status ?? 1);
}

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport;
const partial = args.some((arg) => arg === '--mutate' || arg.startsWith('--mutate=') || arg === '-m');
let failed = false;
for (const { folder, detected, valid, score } of FOLDERS.map((folder) => folderScore(report, folder))) {
  if (score === undefined) {
    console.log(`mutation gate: ${folder} no mutants in this run`);
    continue;
  }
  const below = score < FLOOR;
  failed ||= below && !partial;
  const verdict = partial ? 'not gated (--mutate)' : below ? `FAILED: under ${FLOOR}%` : 'passed';
  console.log(`mutation gate: ${folder} ${score.toFixed(1)}% (${detected}/${valid}), ${verdict}`);
}
process.exit(failed ? 1 : (stryker.status ?? 1));
