/**
 * `tsx infra/bundling/bundle-side-files.ts <dir> <side file>...`: writes each named side file (side-files.ts)
 * into <dir>. CDK runs it after bundling a function that ships them (sideFileHooks), so they sit beside index.mjs.
 */
import { buildSideFile, isSideFile, SIDE_FILES } from './side-files.ts';

const [outDir, ...names] = process.argv.slice(2);
if (!outDir || names.length === 0 || !names.every(isSideFile)) {
  console.error(
    `usage: tsx infra/bundling/bundle-side-files.ts <output directory> <${Object.keys(SIDE_FILES).join('|')}>...`,
  );
  process.exit(2);
}
for (const name of names) console.log(`wrote ${(await buildSideFile(name, outDir)).pathname}`);
