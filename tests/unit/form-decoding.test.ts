import { describe, expect, it } from 'vitest';
import { decodeParams, p, parseBool, parseInt64 } from '../../lib/api/params';

const shape = {
  TargetUser: p.string(),
  Force: p.bool().opt(),
  Count: p.int().opt(),
  ProfileData: p.json('UserProfileConfig').opt(),
  TargetOrganization: p.string().topLevel().opt(),
};

function form(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}

describe('form decoding', () => {
  it('accepts every strconv.ParseBool spelling and nothing else', () => {
    for (const t of ['1', 't', 'T', 'true', 'TRUE', 'True']) expect(parseBool(t, 'x')).toBe(true);
    for (const f of ['0', 'f', 'F', 'false', 'FALSE', 'False']) expect(parseBool(f, 'x')).toBe(false);
    for (const bad of ['yes', '', 'tRuE', '2']) expect(() => parseBool(bad, 'Force')).toThrow(/'Force' must be a boolean/);
  });

  it('parses integers sent as decimal text and refuses the rest', () => {
    expect(parseInt64('42', 'n')).toBe(42);
    expect(parseInt64('-7', 'n')).toBe(-7);
    for (const bad of ['4.2', '1e3', '', 'abc', '99999999999999999999']) expect(() => parseInt64(bad, 'n')).toThrow(/'n'/);
  });

  it('decodes raw, JSON-in-form, int and bool params; auth fields are allowed', () => {
    const out = decodeParams(
      shape,
      form({ Username: 'a', AuthType: 'Password', Password: 'p', TargetUser: 'bob', Force: '1', Count: '3', ProfileData: '{"Username":"bob","Emails":null}' }),
      { isTopLevel: false },
    );
    expect(out).toEqual({ TargetUser: 'bob', Force: true, Count: 3, ProfileData: { Username: 'bob', Emails: null }, TargetOrganization: undefined });
  });

  it('refuses missing, unknown, repeated and top-level-only params', () => {
    expect(() => decodeParams(shape, form({}), { isTopLevel: true })).toThrow(/Missing required parameter 'TargetUser'/);
    expect(() => decodeParams(shape, form({ TargetUser: 'x', Extra: '1' }), { isTopLevel: true })).toThrow(/Unknown parameter 'Extra'/);
    expect(() => decodeParams(shape, new URLSearchParams('TargetUser=a&TargetUser=b'), { isTopLevel: true })).toThrow(/more than once/);
    expect(() => decodeParams(shape, form({ TargetUser: 'x', TargetOrganization: 'org' }), { isTopLevel: false })).toThrow(/top-level/);
    expect(decodeParams(shape, form({ TargetUser: 'x', TargetOrganization: 'org' }), { isTopLevel: true }).TargetOrganization).toBe('org');
  });

  it('explains wrong JSON and wrong types with the field path', () => {
    expect(() => decodeParams(shape, form({ TargetUser: 'x', ProfileData: '{oops' }), { isTopLevel: true })).toThrow(/'ProfileData' must be JSON/);
    expect(() => decodeParams(shape, form({ TargetUser: 'x', ProfileData: '{"MaximumDevices":"five"}' }), { isTopLevel: true })).toThrow(
      /ProfileData\.MaximumDevices/,
    );
  });
});
