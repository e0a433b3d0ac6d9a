// The Fetch transport (the Next route handler) answers like the node:http one that server.ts uses:
// both are thin adapters over serveApi, so only the adapter itself is checked here.
import { describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../lib/api/handle';

describe('Fetch transport', () => {
  it('serves the OpenAPI document and answers errors in Comet shape (HTTP 200, an unknown path HTTP 404)', async () => {
    const doc = await handleApiRequest(new Request('http://localhost/api/v1/openapi.json'));
    expect(doc.status).toBe(200);
    expect((await doc.json()).openapi).toBe('3.1.0');

    const unknown = await handleApiRequest(new Request('http://localhost/api/v1/admin/nope', { method: 'POST', body: 'a=1' }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ Status: 404, Message: "Unknown API endpoint '/api/v1/admin/nope'" });
    expect(unknown.headers.get('x-request-id')).toBeTruthy();

    const get = await handleApiRequest(new Request('http://localhost/api/v1/admin/list-users'));
    expect((await get.json()).Status).toBe(405);
  });
});
