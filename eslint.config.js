// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import patterns that break a layer boundary, each with the reason it gives when it fails. Flat config gives a
 * file the rule of the LAST block that matches it, so each block below lists every pattern that applies there
 * (docs/design.md, "Which folder may import which").
 */
const layerRules = {
  noInfra: { group: ['**/infra/**'], message: 'functions/ is what Lambda runs: it may not import infra/.' },
  noHttp: { group: ['**/http/**'], message: 'HTTP is an adapter: core and workflows know no transport.' },
  noMiddy: { group: ['@middy/*'], message: "middy is the HTTP layer's: core and workflows know no transport." },
  // Classic zod cannot be tree-shaken (~440 KiB in every bundle) and zod/mini has no English messages until
  // functions/zod.ts registers them: schemas reach zod only through that module.
  onlyZodMini: { regex: '^zod($|/)', message: "Import zod as `import * as z from '<path>/zod.ts'`." },
  noWiring: {
    group: ['**/wiring/**'],
    message:
      'wiring/ composes functions and is imported only by handlers/ (and infra/local, infra/admin, tests): ' +
      'what everything needs (settings, AWS call limits) lives in functions/runtime/.',
  },
  noHandlers: {
    group: ['**/handlers/**'],
    message: 'handlers/ are Lambda entry points: nothing imports them (request schemas live in functions/contracts/).',
  },
  noConsumers: {
    group: ['**/consumers/**'],
    message: 'workflows define the ports they need (workflows/queue-ports.ts); consumers/ implement them.',
  },
  noStore: {
    group: ['**/store/**'],
    message:
      'http/ knows no store: it tells an unavailable store by runtime/unavailable.ts, and runs idempotent calls ' +
      'through its port (http/idempotency.ts), which wiring fills with the store.',
  },
};

/** The rule for one folder: the patterns every file of functions/ obeys, plus that folder's own. */
const layer = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: [layerRules.noInfra, layerRules.onlyZodMini, ...patterns] }],
});

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
  // workflows speak to stores through ports, never to HTTP or consumers; http knows no store; only the entry
  // points (handlers) import the composition (wiring); nothing a function deploys may reach into infra/.
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/zod.ts'],
    rules: layer(layerRules.noWiring, layerRules.noHandlers),
  },
  // The composition and the entry points: handlers import wiring, and wiring imports everything below it.
  { files: ['functions/handlers/**/*.ts', 'functions/wiring/**/*.ts'], rules: layer(layerRules.noHandlers) },
  {
    files: ['functions/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerRules.noInfra] }] },
  },
  {
    files: ['functions/http/**/*.ts'],
    rules: layer(layerRules.noWiring, layerRules.noHandlers, layerRules.noStore),
  },
  {
    files: ['functions/workflows/**/*.ts'],
    rules: layer(
      layerRules.noWiring,
      layerRules.noHandlers,
      layerRules.noHttp,
      layerRules.noMiddy,
      layerRules.noConsumers,
    ),
  },
  {
    files: ['functions/core/**/*.ts'],
    rules: layer(
      layerRules.noWiring,
      layerRules.noHandlers,
      layerRules.noHttp,
      layerRules.noMiddy,
      layerRules.noConsumers,
      {
        group: ['**/store/**', '**/workflows/**'],
        message: 'core holds business decisions only: stores, workflows and wiring call core, not the reverse.',
      },
      {
        group: ['@aws-sdk/*', '@aws-lambda-powertools/*', 'aws-lambda'],
        message: 'core knows no AWS: no SDK, Powertools or Lambda types.',
      },
    ),
  },
  // infra/ builds and describes the functions; only the local server and the admin command (entry points that
  // compose functions as a handler does) may import their wiring.
  {
    files: ['infra/**/*.ts'],
    ignores: ['infra/local/**', 'infra/admin/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerRules.noWiring] }] },
  },
  // The OpenAPI document is built from functions/contracts/, never from the Lambda entry points (which would drag
  // their module graphs, and the SDK clients they build at import, into the generator).
  {
    files: ['infra/openapi/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerRules.noWiring, layerRules.noHandlers] }] },
  },
  // A spy on stream.write replaces the write the log guard checks for secrets, so the lines it takes would escape
  // that check: tests take them with the guard's captureWrites(), which checks each one.
  {
    files: ['test/**/*.ts'],
    ignores: ['test/support/log-guard.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='spyOn'][arguments.1.value='write']",
          message:
            'Take written lines with captureWrites() from test/support/log-guard.ts: it checks them for secrets.',
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
