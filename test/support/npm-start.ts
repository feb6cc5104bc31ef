import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

/**
 * The tests' environment for `npm start`, without the tests' own switch for the AWS SDK's Node version warning:
 * what `npm start` prints is then what a newcomer sees (it turns that one warning off itself).
 */
export const startEnv = (env: Record<string, string>): NodeJS.ProcessEnv => {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _tests, ...shell } = process.env;
  return { ...shell, ...env };
};

/** `npm start` as a child process, on a free port, in memory mode; resolves once its banner is printed. */
export const runNpmStart = async (env: Record<string, string>) => {
  const port = await freePort();
  // One process, tsx as a loader: the tsx command would relay Ctrl-C to a child of its own and kill it outright if
  // that child does not confirm within 30 ms, which a loaded machine can miss (exit 130 instead of a clean stop).
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    env: startEnv({ PORT: String(port), DYNAMODB_PORT: '0', DATA_DIR: 'memory', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Ctrl-C stops the server')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited early (${code}): ${stderr}`)));
  });
  /** The recall its banner offers, as a curl would send it. */
  const recallJson = /-d '(\{"signRequestId".*?\})'/.exec(stdout)?.[1];
  const recall = () =>
    fetch(`http://localhost:${port}/v1/sign-requests/recall`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: recallJson,
    });
  /** Ctrl-C; resolves with the exit code. */
  const stop = async () => {
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  };
  /** Initiates a request on this server with `appToken`, as an app would. */
  const initiate = (appToken: string) =>
    fetch(`http://localhost:${port}/v1/sign-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appToken, documentName: 'D.pdf', signers: [{ name: 'A', email: 'a@example.com' }] }),
    });
  return {
    pid: child.pid,
    base: `http://localhost:${port}`,
    stdout,
    stderr: () => stderr,
    recallJson,
    recall,
    initiate,
    stop,
  };
};
