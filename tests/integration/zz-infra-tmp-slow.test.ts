import { it } from 'vitest';
it('is slow', async () => { await new Promise((r) => setTimeout(r, 25_000)); });
