// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import patterns that break a layer boundary, each with the reason it gives when it fails. Flat config gives a
 * file the rule of the LAST block that matches it, so each block below lists every pattern that applies there.
 */
const layerRules = {
  noInfra: { group: ['**/infra/**'], message: 'functions/ is what Lambda runs: it may not import infra/.' },
  noHttp: { group: ['**/http/**'], message: 'HTTP is an adapter: core and workflows know no transport.' },
  noMiddy: { group: ['@middy/*'], message: "middy is the HTTP layer's: core and workflows know no transport." },
  // Classic zod cannot be tree-shaken (~440 KiB in every bundle) and zod/mini has no English messages until
  // functions/zod.ts registers them: schemas reach zod only through that module.
  onlyZodMini: { regex: '^zod($|/)', message: "Import zod as `import * as z from '<path>/zod.ts'`." },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'bench/results/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The layers of functions/ (README: folder map), enforced: core decides and knows no transport or AWS;
  // workflows speak to stores, never to HTTP; nothing a function deploys may reach into infra/.
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerRules.noInfra, layerRules.onlyZodMini] }] },
  },
  {
    files: ['functions/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerRules.noInfra] }] },
  },
  {
    files: ['functions/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layerRules.noInfra, layerRules.onlyZodMini, layerRules.noHttp, layerRules.noMiddy] },
      ],
    },
  },
  {
    files: ['functions/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layerRules.noInfra,
            layerRules.onlyZodMini,
            layerRules.noHttp,
            layerRules.noMiddy,
            {
              group: ['**/store/**', '**/workflows/**', '**/wiring/**'],
              message: 'core holds business decisions only: stores, workflows and wiring call core, not the reverse.',
            },
            {
              group: ['@aws-sdk/*', '@aws-lambda-powertools/*', 'aws-lambda'],
              message: 'core knows no AWS: no SDK, Powertools or Lambda types.',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
