import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApp, startService, type Service } from '../support/service.ts';

interface Documented {
  requestBody?: unknown;
  parameters?: { name?: string; in?: string }[];
  security: unknown[];
  responses: Record<
    string,
    { content?: Record<string, { schema: { properties?: Record<string, { items?: unknown }> } }> }
  >;
}

const document = JSON.parse(await readFile(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Documented>>;
};

/** The codes a documented answer allows at a status: its FailRules' Code enum. */
const codesAt = (operation: Documented, status: number): string[] => {
  const items = operation.responses[status]?.content?.['application/json']?.schema.properties?.FailRules?.items as
    { properties: { Code: { enum: string[] } } } | undefined;
  return items?.properties.Code.enum ?? [];
};

const envelopeRoutes = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([, operation]) => Object.keys(operation.responses).some((status) => status.startsWith('4')))
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);

let service: Service;
let token = '';
beforeAll(async () => {
  service = await startService();
  token = (await newApp('Conformance')).token;
});
afterAll(() => service.close());

describe('openapi.json against the running server: every refusal it answers is documented for its route', () => {
  it.each(envelopeRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s',
    async (_name, { method, path, operation }) => {
      const url = `${service.baseUrl}${path.replace(/\{\w+\}/g, '01HV6MEARQD3X8ZXXX5FR3YDB8')}`;
      const attempts: (RequestInit & { body?: string; query?: string })[] = [
        { method, headers: { authorization: 'Bearer esr_not-a-token' } },
        { method, headers: { authorization: `Bearer ${token}` } },
      ];
      // A route with a query string: a forged cursor, an unknown parameter and out-of-range values.
      const queryNames = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name ?? '');
      for (const query of [
        ...queryNames.map((name) => `${name}=x`),
        'cursor=forged.cursor',
        'limit=0&unknown=1',
      ].filter(() => queryNames.length > 0))
        attempts.push({ method, headers: { authorization: `Bearer ${token}` }, query });
      if (operation.requestBody) {
        attempts.push(
          { method, headers: { 'content-type': 'application/json' }, body: 'not json' },
          { method, headers: { 'content-type': 'text/plain' }, body: '{}' },
          { method, headers: { 'content-type': 'application/json' }, body: '[]' },
          { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appToken: token }) },
          {
            method,
            headers: { 'content-type': 'application/json', 'idempotency-key': '\u00e9' },
            body: JSON.stringify({ appToken: token }),
          },
        );
      }
      for (const init of attempts) {
        const response = await fetch(init.query ? `${url}?${init.query}` : url, init);
        const { FailRules } = (await response.json()) as { FailRules: { Code: string }[] };
        const described = `${init.query ?? ''} ${init.body ?? '(no body)'} -> ${response.status}`;
        expect(Object.keys(operation.responses), described).toContain(String(response.status));
        if (response.status >= 400)
          for (const rule of FailRules) expect(codesAt(operation, response.status), described).toContain(rule.Code);
      }
    },
  );
});
