import { describe, expect, it } from 'vitest';
describe('infra tmp', () => {
  it('has the env from test.mjs', () => {
    expect(process.env.DATABASE_URL).toMatch(/^postgresql:/);
    expect(process.env.REDIS_URL).toMatch(/^redis:/);
    expect(process.env.HALLEY_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
  });
  it.skip('skipped one', () => {});
});
