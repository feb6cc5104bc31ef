/**
 * The mutation score of a folder, from the report Stryker writes (reports/mutation/mutation.json, the
 * mutation-testing-report-schema): (killed + timed out) / (killed + timed out + survived + no coverage), Stryker's
 * own formula. Ignored mutants (the static ones, left out by `ignoreStatic`) and ones that did not compile or
 * crashed are in neither part, as in Stryker's score.
 */

/** The part of a Stryker JSON report the score reads. */
export interface MutationReport {
  files: Record<string, { mutants: readonly { status: string }[] }>;
}

export interface FolderScore {
  folder: string;
  detected: number;
  valid: number;
  /** Percent; undefined when the run mutated nothing in the folder. */
  score: number | undefined;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** The score of every mutant in a file under `folder` (a path prefix such as `functions/core/`). */
export const folderScore = (report: MutationReport, folder: string): FolderScore => {
  let detected = 0;
  let valid = 0;
  for (const [path, file] of Object.entries(report.files)) {
    // Stryker names files relative to the project, or absolute on some platforms: match the folder anywhere.
    if (!`/${path.replaceAll('\\', '/')}`.includes(`/${folder}`)) continue;
    for (const { status } of file.mutants) {
      if (DETECTED.has(status)) detected++;
      if (DETECTED.has(status) || UNDETECTED.has(status)) valid++;
    }
  }
  return { folder, detected, valid, score: valid === 0 ? undefined : (detected / valid) * 100 };
};
