import { afterAll, beforeAll, expect, it } from 'vitest';
import { initiate, newApp, startService, type Service } from '../support/service.ts';

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

it('smoke', async () => {
  const app = await newApp('L');
  for (let i = 0; i < 5; i++) await initiate(service, app.token, 2);
  const a = await service.get(`/v1/sign-requests?limit=2`, { authorization: `Bearer ${app.token}` });
  console.log(JSON.stringify(a));
  const c = (a.Data as { NextCursor: string }).NextCursor;
  const b = await service.get(`/v1/sign-requests?limit=2&cursor=${c}`, { authorization: `Bearer ${app.token}` });
  console.log(JSON.stringify(b));
  const d = await service.get(`/v1/sign-requests?status=PENDING&limit=10`, { authorization: `Bearer ${app.token}` });
  console.log(JSON.stringify(d));
  expect(a.status).toBe(200);
});
