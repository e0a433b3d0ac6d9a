// The GroupPolicy fields the console's policy editor exposes, checked by policies/new and policies/set
// (lib/policies/check-policy-fields.ts): what can't work is refused with the field named; what a Comet client may
// store (unknown fields, Go-only regex syntax, the deprecated range type 904, a zero Mode) passes.
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../lib/errors';
import { checkPolicyFields } from '../../lib/policies/check-policy-fields';
import { isRegexPattern } from '../../lib/validation/regex-pattern';

function refusal(policy: Record<string, unknown>): { key?: string; field?: unknown; message: string } {
  try {
    checkPolicyFields(policy);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    return { key: e.translatable?.key, field: e.translatable?.values.field, message: e.message };
  }
  throw new Error('expected a refusal');
}

describe('policy fields', () => {
  it('accepts what Comet clients store', () => {
    expect(() =>
      checkPolicyFields({
        Description: 'Servers',
        Policy: {
          RandomDelaySecs: 600,
          DefaultStorageVaultRetention: { Mode: 802, Ranges: [{ Type: 900, Jobs: 30 }, { Type: 904, Timestamp: 0 }, { Type: 911, Years: 0 }] },
          FileAndFolderMandatoryExclusions: [
            { Exclude: '*.tmp', Regex: false, RestrictOS: 0 },
            { Exclude: '(?i)^C:\\\\Temp\\\\.*\\.bak$', Regex: true, RestrictOS: 1 },
            { Exclude: '(?P<dir>cache)/\\Q(x)\\E', Regex: true, RestrictOS: 5 },
            { Exclude: '((', Regex: false, RestrictOS: 3 },
          ],
          SomethingNew: { Anything: true },
        },
      }),
    ).not.toThrow();
    expect(() => checkPolicyFields({ Policy: { DefaultStorageVaultRetention: { Mode: 0, Ranges: null } } })).not.toThrow();
  });

  it('refuses what cannot work, naming the field', () => {
    expect(refusal({ Description: 'x'.repeat(256) })).toMatchObject({ key: 'fieldTooLong', field: 'Description' });
    expect(refusal({ Policy: { DefaultStorageVaultRetention: { Mode: 803 } } })).toMatchObject({ key: 'fieldNotOneOf', field: 'Policy.DefaultStorageVaultRetention.Mode' });
    expect(refusal({ Policy: { DefaultStorageVaultRetention: { Mode: 802, Ranges: [{ Type: 900, Jobs: 3 }, { Type: 912, Days: 1 }] } } })).toMatchObject({ key: 'fieldNotOneOf', field: 'Policy.DefaultStorageVaultRetention.Ranges[1].Type' });
    expect(refusal({ Policy: { DefaultStorageVaultRetention: { Mode: 802, Ranges: [{ Type: 901, Days: -1 }] } } })).toMatchObject({ key: 'fieldIntRange', field: 'Policy.DefaultStorageVaultRetention.Ranges[0].Days' });
    expect(refusal({ Policy: { FileAndFolderMandatoryExclusions: [{ Exclude: 'a', Regex: false, RestrictOS: 6 }] } })).toMatchObject({ key: 'fieldNotOneOf', field: 'Policy.FileAndFolderMandatoryExclusions[0].RestrictOS' });
    const regex = refusal({ Policy: { FileAndFolderMandatoryExclusions: [{ Exclude: '*.tmp', Regex: false }, { Exclude: '([a-z', Regex: true }] } });
    expect(regex).toEqual({ key: 'fieldNotRegex', field: 'Policy.FileAndFolderMandatoryExclusions[1].Exclude', message: "Policy.FileAndFolderMandatoryExclusions[1].Exclude '([a-z' is not a valid regular expression" });
  });

  it('reads regular expressions as Go (RE2) does', () => {
    for (const ok of ['^/home/[^/]+/\\.cache/', '(?i)thumbs\\.db$', '(?s:a.b)', '(?P<n>x)y', '\\pL+', '[[:alpha:]]+', '\\Q[not a class\\E', 'a{2,3}']) expect(isRegexPattern(ok), ok).toBe(true);
    for (const bad of ['(', '[a-', '*.tmp', 'a**', 'x{3,1}', '[z-a]']) expect(isRegexPattern(bad), bad).toBe(false);
  });
});
