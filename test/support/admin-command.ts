import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** The line with which the admin command says on stderr which store and table it used. */
const STORE_LINE = /^npm run app: table .*\n/;

/**
 * `npm run app -- <args>` as a child process, with this test file's store and table in its environment; a
 * variable given as undefined is removed from it. `store` is the line naming the store it used, and `stderr`
 * the rest of what it wrote there.
 */
export const runAdmin = async (args: string[], env: Record<string, string | undefined> = {}) => {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  const child = spawn('node_modules/.bin/tsx', ['infra/admin/app.ts', ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const store = STORE_LINE.exec(stderr)?.[0].trim();
  return { code, stdout, stderr: stderr.replace(STORE_LINE, ''), store };
};
