import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Section } from './context.ts';

export const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

const cell = (value: string | number) => (typeof value === 'number' && Number.isNaN(value) ? '-' : String(value));

/** A plain text table: numbers right-aligned, text left-aligned, so columns of figures line up. */
const table = (columns: string[], rows: (string | number)[][]): string => {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => cell(row[i] ?? '').length)));
  const line = (values: (string | number)[]) =>
    values
      .map((value, i) => {
        const text = cell(value);
        const width = widths[i] ?? text.length;
        return typeof value === 'number' ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
};

/** A benchmark that threw: its error is printed and kept, and it counts as a missed target. */
export const failedSection = (name: string, error: unknown): Section => ({
  id: name,
  title: `${name}: FAILED`,
  columns: ['error'],
  rows: [[error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') : String(error)]],
  targets: [{ name: `${name} ran`, measured: 0, comparison: '==', goal: 1, met: false }],
  notes: [],
});

export const printSections = (sections: Section[]): string => {
  const parts = sections.map((section) =>
    [section.title, table(section.columns, section.rows), ...section.notes.map((note) => `  ${note}`)].join('\n'),
  );
  const targets = sections.flatMap((section) => section.targets);
  parts.push(
    [
      'Targets',
      table(
        ['target', 'measured', 'goal', 'met'],
        targets.map((t) => [t.name, t.measured, `${t.comparison} ${t.goal}`, t.met ? 'yes' : 'NO']),
      ),
    ].join('\n'),
  );
  return parts.join('\n\n');
};

export interface RunMeta {
  startedAt: string;
  wallSeconds: number;
  quick: boolean;
  node: string;
  cpus: number;
}

/** The JSON twin of the printed table: small and stable enough to commit and diff between runs. */
export const writeResults = async (meta: RunMeta, sections: Section[]): Promise<string> => {
  await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify({ ...meta, sections }, null, 2)}\n`);
  return RESULTS_FILE;
};
