/** `npm run openapi`: writes openapi.json and the client types from the route table and the handlers' schemas. */
import { writeFile } from 'node:fs/promises';
import { generatedFiles } from './generate.ts';

const root = new URL('../../', import.meta.url);
for (const [path, contents] of Object.entries(await generatedFiles())) {
  await writeFile(new URL(path, root), contents);
  console.log(`wrote ${path}`);
}
