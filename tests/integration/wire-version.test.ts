// Issue 19: meta/version carries every field of Comet's ServerMetaVersionInfo with the contract's types, for the
// top-level admin and a tenant admin. Fields the contract marks omitempty (ExperimentalOptions) are left out when
// empty, as Comet's Go encoder does; when present they have their type.
import { describe, expect, it } from 'vitest';
import { validateWire } from '../../lib/comet/validate';
import wireTypes from '../../lib/comet/wire-types.json';
import { makeTenant, rootClient } from '../helpers/fixtures';

const ALL = (wireTypes.types as unknown as Record<string, { fields: Array<[string, string, number?]> }>).ServerMetaVersionInfo.fields;
const FIELDS = ALL.map(([name]) => name);
/** Always present: the fields without omitempty (the third element is set for omitempty ones). */
const REQUIRED = ALL.filter(([, , omitempty]) => !omitempty).map(([name]) => name);

describe('meta/version', () => {
  it('answers every ServerMetaVersionInfo field, typed as the contract says (top-level and tenant admin)', async () => {
    expect(FIELDS).toContain('ExperimentalOptions');
    const t = await makeTenant('wire-version');
    for (const by of [await rootClient(), t.admin]) {
      const v = await by.ok('/api/v1/admin/meta/version');
      expect(Object.keys(v).sort()).toEqual(expect.arrayContaining([...REQUIRED].sort()));
      expect(Object.keys(v).every((k) => FIELDS.includes(k))).toBe(true);
      expect(() => validateWire('ServerMetaVersionInfo', v)).not.toThrow();
      if ('ExperimentalOptions' in v) expect(Array.isArray(v.ExperimentalOptions)).toBe(true);
    }
  });
});
