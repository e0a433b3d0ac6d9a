// The hot-path reads that go to the pg pool instead of Prisma (lib/users/account-batch-query.ts,
// lib/db/client.ts PRISMA_ROW_TYPES): the tenant condition is part of the one statement, and the row parsers give
// what Prisma gave where it matters (timestamps as UTC instants, int8 as numbers).
import { describe, expect, it } from 'vitest';
import { PRISMA_ROW_TYPES } from '../../lib/db/client';
import { accountBatchQuery, accountByUsernameQuery } from '../../lib/users/account-batch-query';

describe('accountByUsernameQuery', () => {
  it('reads one username with its four child lists, for a top-level admin without a tenant condition', () => {
    const q = accountByUsernameQuery({ scope: {}, username: 'alice' });
    expect(q.values).toEqual(['alice']);
    expect(q.text).toMatch(/ WHERE a\.username = \$1$/);
    for (const table of ['Device', 'StorageVault', 'ProtectedItem', 'BackupRule']) expect(q.text).toContain(`FROM "${table}"`);
  });

  it("puts a tenant admin's tenant into the same statement", () => {
    const q = accountByUsernameQuery({ scope: { tenantId: 't-1' }, username: 'alice' });
    expect(q.values).toEqual(['alice', 't-1']);
    expect(q.text).toMatch(/ WHERE a\.username = \$1 AND a\."tenantId" = \$2$/);
  });

  it('selects what a list-users-full batch selects', () => {
    const one = accountByUsernameQuery({ scope: {}, username: 'x' }).text;
    const batch = accountBatchQuery({ scope: {}, limit: 10 }).text;
    expect(one.slice(0, one.indexOf(' WHERE '))).toBe(batch.slice(0, batch.indexOf(' WHERE ')));
  });
});

describe('PRISMA_ROW_TYPES', () => {
  const INT8 = 20;
  const TIMESTAMP = 1114;
  const TEXT = 25;
  it('reads timestamp(3) without time zone as the UTC instant Prisma stored, whatever the process time zone', () => {
    const parse = PRISMA_ROW_TYPES.getTypeParser(TIMESTAMP, 'text') as (v: string) => Date;
    expect(parse('2026-12-06 03:41:48.123').toISOString()).toBe('2026-12-06T03:41:48.123Z');
    expect(parse('2026-12-06 03:41:48').toISOString()).toBe('2026-12-06T03:41:48.000Z');
  });

  it('reads int8 as a number and leaves other types to pg', () => {
    expect((PRISMA_ROW_TYPES.getTypeParser(INT8, 'text') as (v: string) => number)('1765000000123')).toBe(1765000000123);
    expect((PRISMA_ROW_TYPES.getTypeParser(TEXT, 'text') as (v: string) => string)('x')).toBe('x');
  });
});
