import { describe, expect, it } from 'vitest';
import { canonicalJson, profileHash } from '../../lib/profile/hash';

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    const a = { b: 1, a: { z: [3, { y: 1, x: 2 }], c: 'text' }, 'é': true, A: null };
    expect(canonicalJson(a)).toBe('{"A":null,"a":{"c":"text","z":[3,{"x":2,"y":1}]},"b":1,"é":true}');
  });

  it('does not depend on key insertion order', () => {
    const one = { Username: 'u', Devices: { d1: { FriendlyName: 'x', ClientVersion: '1' } }, Emails: ['a', 'b'] };
    const two = { Emails: ['a', 'b'], Devices: { d1: { ClientVersion: '1', FriendlyName: 'x' } }, Username: 'u' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(profileHash(one, 's')).toBe(profileHash(two, 's'));
  });

  it('keeps array order significant', () => {
    expect(canonicalJson(['a', 'b'])).not.toBe(canonicalJson(['b', 'a']));
  });

  it('writes bigint as a decimal number and drops undefined like JSON.stringify', () => {
    expect(canonicalJson({ n: 9007199254740993n, small: 5n, u: undefined, arr: [undefined, 1] })).toBe('{"arr":[null,1],"n":9007199254740993,"small":5}');
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({ d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z"}');
  });

  it('matches JSON.stringify for already sorted plain JSON', () => {
    const v = { a: [1, 'two', false, null, { b: 'c' }], d: -0.25, e: 'line\nbreak \u2028 "quoted"' };
    expect(canonicalJson(v)).toBe(JSON.stringify(v));
  });
});

describe('profileHash', () => {
  const profile = { Username: 'alice', Destinations: { v: { S3SecretKey: '' } } };

  it('is sha256 hex of canonical JSON + "\\n" + stamp (known answer)', () => {
    // Computed outside the code under test:
    //   printf '%s' '{"Destinations":{"v":{"S3SecretKey":""}},"Username":"alice"}<newline>stamp-1' | sha256sum
    // A change here changes every stored hash clients hold (set-user-profile-hash would refuse them).
    expect(profileHash(profile, 'stamp-1')).toBe('cf81c2102399dd5cbccbb41e6cf111f5804e3cb6368738d19ff41118898e65c0');
  });

  it('changes when the secret stamp changes even though the JSON does not', () => {
    expect(profileHash(profile, 'stamp-1')).not.toBe(profileHash(profile, 'stamp-2'));
    expect(profileHash(profile, '')).not.toBe(profileHash(profile, 'stamp-1'));
  });

  it('changes when the profile changes', () => {
    expect(profileHash(profile, 's')).not.toBe(profileHash({ ...profile, Username: 'bob' }, 's'));
  });
});
