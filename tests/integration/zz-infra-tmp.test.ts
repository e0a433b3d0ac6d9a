import { expect, it } from 'vitest';
import { halleyUrl, halleyFetch } from '../helpers/server';
it('reaches the server', async () => {
  expect(halleyUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await halleyFetch('/api/v1/openapi.json');
  expect(res.status).toBe(200);
});
