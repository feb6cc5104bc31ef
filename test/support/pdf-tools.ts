import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Poppler's and qpdf's command-line tools, run on PDF bytes: independent readers of what the service makes
 * (`.ci/run` installs poppler-utils and qpdf). Each call writes the bytes to a file of its own and removes it.
 */
const run = promisify(execFile);

export interface ToolOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const onFile = async (pdf: Uint8Array, command: string, args: (file: string) => string[]): Promise<ToolOutput> => {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-tools-'));
  const file = join(dir, 'file.pdf');
  try {
    await writeFile(file, pdf);
    try {
      const { stdout, stderr } = await run(command, args(file), { maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw error;
      return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** `pdfsig`'s report on the file's signatures. */
export const pdfsig = (pdf: Uint8Array): Promise<ToolOutput> => onFile(pdf, 'pdfsig', (file) => [file]);

/**
 * The file's text as `pdftotext -layout` reads it, with every run of whitespace made one space: a value wrapped
 * over two lines reads as it was given.
 */
export const pdfText = async (pdf: Uint8Array, pages?: { first: number; last: number }): Promise<string> => {
  const range = pages === undefined ? [] : ['-f', String(pages.first), '-l', String(pages.last)];
  const { code, stdout, stderr } = await onFile(pdf, 'pdftotext', (file) => ['-layout', ...range, file, '-']);
  if (code !== 0) throw new Error(`pdftotext failed (${code}): ${stderr}`);
  return stdout.replace(/\s+/g, ' ');
};

/** `qpdf --check`: exit code 0 when the file's structure and streams are sound (2 errors, 3 warnings). */
export const qpdfCheck = (pdf: Uint8Array): Promise<ToolOutput> => onFile(pdf, 'qpdf', (file) => ['--check', file]);

/** The page count `pdfinfo` reads. */
export const pageCount = async (pdf: Uint8Array): Promise<number> => {
  const { code, stdout } = await onFile(pdf, 'pdfinfo', (file) => [file]);
  const pages = /^Pages:\s+(\d+)$/m.exec(stdout)?.[1];
  if (code !== 0 || pages === undefined) throw new Error(`pdfinfo could not read the file: ${stdout}`);
  return Number(pages);
};
