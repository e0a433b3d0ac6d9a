// Issue 19: meta/version carries every field of Comet's ServerMetaVersionInfo (e.g. ExperimentalOptions, omitted
// by nothing), with the contract's types, for the top-level admin and a tenant admin.
import { describe, expect, it } from 'vitest';
import { validateWire } from '../../lib/comet/validate';
import wireTypes from '../../lib/comet/wire-types.json';
import { makeTenant, rootClient } from '../helpers/fixtures';

const FIELDS = (wireTypes.types as unknown as Record<string, { fields: Array<[string, string, number?]> }>).ServerMetaVersionInfo.fields.map(([name]) => name);

describe('meta/version', () => {
  it('answers every ServerMetaVersionInfo field, typed as the contract says (top-level and tenant admin)', async () => {
    expect(FIELDS).toContain('ExperimentalOptions');
    const t = await makeTenant('wire-version');
    for (const by of [await rootClient(), t.admin]) {
      const v = await by.ok('/api/v1/admin/meta/version');
      expect(Object.keys(v).sort()).toEqual(expect.arrayContaining([...FIELDS].sort()));
      expect(() => validateWire('ServerMetaVersionInfo', v)).not.toThrow();
      expect(Array.isArray(v.ExperimentalOptions)).toBe(true);
    }
  });
});
