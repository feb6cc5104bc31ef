import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { refusals } from '../../functions/core/errors.ts';
import { transportRefusals } from '../../functions/http/refusals.ts';
import { MAX_DEADLINE_DAYS } from '../../functions/contracts/initiate.ts';
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

  it('states every body field’s limits: lengths, counts, the deadline’s bound', () => {
    interface Schema {
      type?: string;
      maxLength?: number;
      maxItems?: number;
      description?: string;
      format?: string;
      properties?: Record<string, Schema>;
      items?: Schema;
    }
    const bodies = document.paths as unknown as Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
    >;
    const fields = new Map<string, Schema>();
    const collect = (schema: Schema, prefix: string) => {
      for (const [name, field] of Object.entries(schema.properties ?? {})) {
        fields.set(`${prefix}${name}`, field);
        if (field.items) collect(field.items, `${prefix}${name}[].`);
      }
    };
    for (const methods of Object.values(bodies))
      for (const operation of Object.values(methods)) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (schema) collect(schema, '');
      }
    expect(fields.size).toBeGreaterThan(10);
    for (const [name, field] of fields) {
      if (field.type === 'string' && field.format !== 'date-time')
        expect(field.maxLength ?? field.description, `${name} states no limit`).toBeDefined();
      if (field.type === 'array') expect(field.maxItems, `${name} states no count`).toBeDefined();
    }
    expect(fields.get('signers')?.maxItems).toBe(50);
    expect(fields.get('expiresAt')?.description).toContain(`at most ${MAX_DEADLINE_DAYS} days ahead`);
    expect(fields.get('signRequestId')?.description).toContain('26 characters');
  });
});
