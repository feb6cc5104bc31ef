import { formatProblems, getTotals, lint, loadConfig } from '@redocly/openapi-core';

/**
 * `npm run lint:openapi`: lints openapi.json with Redocly's rules (redocly.yaml, and the problems it ignores in
 * .redocly.lint-ignore.yaml) through Redocly's library, the one Redoc and openapi-typescript already use. Not the
 * `redocly` CLI: on Node 20 it prints an end-of-support banner into every `npm test`, which a newcomer reads as a
 * failure, and it has no switch to leave it out. Exits 1 on any error or warning, as `redocly lint` does on errors.
 */
const config = await loadConfig({ configPath: 'redocly.yaml' });
const problems = await lint({ ref: 'openapi.json', config });
const totals = getTotals(problems);
formatProblems(problems, { totals, version: 'openapi-core', format: 'codeframe', color: process.stdout.isTTY });
const counted = totals.errors + totals.warnings;
console.log(
  counted === 0
    ? 'openapi.json: valid, no problems'
    : `openapi.json: ${totals.errors} errors, ${totals.warnings} warnings`,
);
process.exitCode = counted === 0 ? 0 : 1;
