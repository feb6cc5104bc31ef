import { spawn } from 'node:child_process';

/**
 * Runs the npm scripts named on the command line at the same time and fails if any of them fails. `npm test`
 * uses it for everything it runs: the type check, lint, format, unused-code and OpenAPI checks are each
 * single-threaded, and the unit and integration tests spend much of their time waiting on the embedded store and
 * on processes they start, so side by side they keep both cores busy where one phase after the other left them
 * idle (measured on 2 cores: 162 s wall against 187 s). Each script's output is held back and printed whole when
 * it ends, so the reports do not interleave.
 */
const scripts = process.argv.slice(2);

// Inside `npm run`, npm_execpath is npm's own entry point: running it with this node works on every platform.
const npmCli = process.env.npm_execpath;
const command = (script: string): [string, string[]] =>
  npmCli ? [process.execPath, [npmCli, 'run', '--silent', script]] : ['npm', ['run', '--silent', script]];

interface Outcome {
  script: string;
  passed: boolean;
  seconds: number;
}

const run = (script: string): Promise<Outcome> =>
  new Promise((resolve) => {
    const started = performance.now();
    const [file, args] = command(script);
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const finish = (passed: boolean, why: string) => {
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(Buffer.concat(output));
      console.log(`${passed ? 'passed' : 'FAILED'}: npm run ${script} (${seconds.toFixed(1)} s${why})`);
      resolve({ script, passed, seconds });
    };
    child.on('error', (error) => finish(false, `, ${error.message}`));
    child.on('close', (code, signal) => finish(code === 0, code === 0 ? '' : `, exit ${signal ?? code}`));
  });

if (scripts.length === 0) {
  console.error('usage: tsx test/support/run-in-parallel.ts <npm script>...');
  process.exit(2);
}
const outcomes = await Promise.all(scripts.map(run));
process.exitCode = outcomes.every((outcome) => outcome.passed) ? 0 : 1;
