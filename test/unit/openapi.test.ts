import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { refusals } from '../../functions/core/errors.ts';
import { transportRefusals } from '../../functions/http/refusals.ts';
import { routes } from '../../functions/routes.ts';
import { generatedFiles, OPENAPI_JSON } from '../../infra/openapi/generate.ts';

const files = await generatedFiles();
const committed = async (path: string) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the OpenAPI document and the client types generated from it', () => {
  it.each(Object.keys(files))('%s is committed exactly as `npm run openapi` writes it from the code', async (path) => {
    expect(await committed(path), `${path} is stale: run npm run openapi`).toBe(files[path]);
  });

  const document = JSON.parse(files[OPENAPI_JSON] ?? '{}') as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };

  it('describes every route of the route table, and nothing else', () => {
    const described = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('names every Code the service answers with, each fixed message as an example', () => {
    const text = files[OPENAPI_JSON] ?? '';
    type Factory = (...args: never[]) => { rules: readonly { Code: string; Message: string }[] };
    // Refusals whose message is fixed (no arguments); the rest are checked by Code below.
    const fixed = [...Object.values(refusals), ...Object.values(transportRefusals)]
      .map((refusal) => refusal as Factory)
      .filter((refusal) => refusal.length === 0)
      .flatMap((refusal) => refusal().rules);
    expect(fixed.length).toBeGreaterThan(10);
    for (const rule of fixed) expect(text, rule.Code).toContain(rule.Message);
    for (const code of ['INVALID_JSON', 'VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'SIGN_REQUEST_CANCELLED'])
      expect(text).toContain(`"${code}"`);
  });

  it("carries the KAiZEN contract's messages on the recall route", () => {
    const recall = JSON.stringify(document.paths['/v1/sign-requests/recall']?.post?.responses);
    for (const message of ['Invalid App Token', 'No sign request found', 'This request is already cancelled'])
      expect(recall).toContain(message);
  });
});
