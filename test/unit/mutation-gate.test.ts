import { describe, expect, it } from 'vitest';
import { folderScore, type MutationReport } from '../support/mutation-score.ts';

const mutants = (statuses: Record<string, number>) =>
  Object.entries(statuses).flatMap(([status, count]) => Array.from({ length: count }, () => ({ status })));

describe('folderScore: Stryker’s score, per folder', () => {
  const report: MutationReport = {
    files: {
      'functions/core/recall.ts': { mutants: mutants({ Killed: 6, Timeout: 1, Survived: 2, NoCoverage: 1 }) },
      'functions/core/rules.ts': { mutants: mutants({ Killed: 3, Ignored: 5, CompileError: 1, RuntimeError: 1 }) },
      'functions/workflows/sign.ts': { mutants: mutants({ Killed: 1, Survived: 3 }) },
      'functions/workflows-old/x.ts': { mutants: mutants({ Survived: 4 }) },
    },
  };

  it('counts killed and timed out as detected, survived and uncovered against, and the rest not at all', () => {
    // core: detected 6 + 1 + 3 = 10 of 10 + 2 + 1 = 13.
    expect(folderScore(report, 'functions/core/')).toEqual({
      folder: 'functions/core/',
      detected: 10,
      valid: 13,
      score: (10 / 13) * 100,
    });
  });

  it('takes only the files under the folder, whether named relative or absolute', () => {
    expect(folderScore(report, 'functions/workflows/')).toMatchObject({ detected: 1, valid: 4, score: 25 });
    const absolute: MutationReport = {
      files: { '/work/repo/functions/workflows/sign.ts': report.files['functions/workflows/sign.ts']! },
    };
    expect(folderScore(absolute, 'functions/workflows/').score).toBe(25);
  });

  it('has no score for a folder the run did not mutate', () => {
    expect(folderScore(report, 'functions/http/')).toEqual({
      folder: 'functions/http/',
      detected: 0,
      valid: 0,
      score: undefined,
    });
  });
});
