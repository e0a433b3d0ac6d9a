// The one rule set for typed values (lib/validation/check-field.ts): the same predicates as lib/validation, refusing
// with a translated message that names the field (catalogue keys fieldNotEmail, fieldNotHost, fieldNotHttpUrl,
// fieldNotTimeZone, fieldEmpty, fieldTooLong).
import { describe, expect, it } from 'vitest';
import { errorBody } from '../../lib/api/handle';
import { BadRequestError } from '../../lib/errors';
import { checkEmailField, checkHostField, checkHttpUrlField, checkTextField, checkTimeZoneField } from '../../lib/validation/check-field';

function refusal(fn: () => void): { key?: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    return { key: e.translatable?.key, message: e.message };
  }
  throw new Error('expected a refusal');
}

describe('field rules', () => {
  it('email addresses', () => {
    expect(() => checkEmailField('ops@example.com', 'F')).not.toThrow();
    expect(() => checkEmailField('', 'F', { optional: true })).not.toThrow();
    expect(refusal(() => checkEmailField('ops@', 'EmailOptions.FromEmail'))).toEqual({ key: 'fieldNotEmail', message: "EmailOptions.FromEmail 'ops@' is not an email address" });
  });

  it('host names, IPv4 and IPv6 literals', () => {
    for (const ok of ['backup.example.com', 'localhost', '192.0.2.10', '::1', '2001:db8::5']) expect(() => checkHostField(ok, 'F'), ok).not.toThrow();
    expect(refusal(() => checkHostField('not a host!', 'Organization.Hosts[0]')).key).toBe('fieldNotHost');
    expect(refusal(() => checkHostField('-bad-.example', 'H')).key).toBe('fieldNotHost');
  });

  it('http(s) URLs only, without credentials', () => {
    expect(() => checkHttpUrlField('https://backup.example.com/', 'F')).not.toThrow();
    for (const bad of ['ftp://example.com/', 'https://user:pw@example.com/', 'example.com', 'javascript:alert(1)']) {
      expect(refusal(() => checkHttpUrlField(bad, 'URL')).key, bad).toBe('fieldNotHttpUrl');
    }
  });

  it('IANA time zones (aliases included, abbreviations refused)', () => {
    for (const ok of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'US/Eastern']) expect(() => checkTimeZoneField(ok, 'F'), ok).not.toThrow();
    expect(() => checkTimeZoneField('', 'F', { optional: true })).not.toThrow();
    expect(refusal(() => checkTimeZoneField('Mars/Olympus_Mons', 'ProfileData.LocalTimezone'))).toEqual({
      key: 'fieldNotTimeZone',
      message: "ProfileData.LocalTimezone 'Mars/Olympus_Mons' is not a time zone",
    });
    expect(refusal(() => checkTimeZoneField('', 'F')).key).toBe('fieldNotTimeZone');
  });

  it('bounded text: the limit is named, in characters as a person counts them', () => {
    expect(() => checkTextField('ä'.repeat(255), 'Organization.Name', { max: 255 })).not.toThrow();
    expect(() => checkTextField('😀'.repeat(255), 'Organization.Name', { max: 255 })).not.toThrow();
    expect(refusal(() => checkTextField('x'.repeat(256), 'Organization.Name', { max: 255 }))).toEqual({ key: 'fieldTooLong', message: 'Organization.Name is longer than 255 characters' });
    expect(refusal(() => checkTextField('  ', 'Organization.Name', { max: 255, required: true })).key).toBe('fieldEmpty');
  });

  it('answer in the caller’s language', () => {
    let err: unknown;
    try {
      checkTimeZoneField('Nowhere', 'LocalTimezone');
    } catch (e) {
      err = e;
    }
    expect(errorBody(err, 'r', '/p', 'de').Message).toBe("LocalTimezone 'Nowhere' ist keine Zeitzone");
    expect(errorBody(err, 'r', '/p', 'ja').Message).toBe('LocalTimezone「Nowhere」はタイムゾーンではありません');
  });
});
