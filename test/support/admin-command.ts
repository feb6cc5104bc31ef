import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** `npm run app -- <args>` as a child process, with this test file's store and table in its environment. */
export const runAdmin = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const child = spawn('node_modules/.bin/tsx', ['infra/admin/app.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
};
