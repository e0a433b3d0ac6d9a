// The one validation rule set (lib/validation): password policy, email addresses, host names, http(s) URLs,
// IANA time zones and announced length limits.
import { describe, expect, it } from 'vitest';
import { isEmailAddress, isHostName } from '../../lib/validation/email-address';
import { isHttpUrl } from '../../lib/validation/http-url';
import { DEFAULT_PASSWORD_POLICY, isCommonPassword, normalisePasswordPolicy, passwordProblem } from '../../lib/validation/password-policy';
import { exceedsLength, textLength } from '../../lib/validation/text-length';
import { isTimeZone, timeZones } from '../../lib/validation/time-zone';

describe('password policy', () => {
  const policy = { MinLength: 10, RejectCommon: true };

  it('names the first rule a password breaks', () => {
    expect(passwordProblem('', policy)).toEqual({ code: 'empty' });
    expect(passwordProblem('short-pw1', policy)).toEqual({ code: 'tooShort', min: 10 });
    expect(passwordProblem('x'.repeat(1025), policy)).toEqual({ code: 'tooLong', max: 1024 });
    expect(passwordProblem('Password123', policy)).toEqual({ code: 'common' });
    expect(passwordProblem('correct horse battery', policy)).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    // Five emoji are ten UTF-16 units but five characters.
    expect(passwordProblem('😀😀😀😀😀', { MinLength: 6, RejectCommon: false })).toEqual({ code: 'tooShort', min: 6 });
    expect(passwordProblem('😀😀😀😀😀😀', { MinLength: 6, RejectCommon: false })).toBeNull();
  });

  it('recognises common passwords in any case and with one trailing decoration', () => {
    for (const p of ['123456', 'QWERTY', 'password1', 'Letmein!', 'iloveyou', ' admin ', 'welcome2025']) expect(isCommonPassword(p), p).toBe(true);
    for (const p of ['Tr0ub4dor&3-xk', 'password-manager-made-this', 'qwerty-but-longer-and-mine']) expect(isCommonPassword(p), p).toBe(false);
  });

  it('lets common passwords through when the check is off, and the default is 8 characters with the check on', () => {
    expect(passwordProblem('password123', { MinLength: 8, RejectCommon: false })).toBeNull();
    expect(DEFAULT_PASSWORD_POLICY).toEqual({ MinLength: 8, RejectCommon: true });
  });

  it('accepts a minimum length of 1 to 128 only', () => {
    expect(normalisePasswordPolicy({ MinLength: 12, RejectCommon: true })).toEqual({ MinLength: 12, RejectCommon: true });
    expect(normalisePasswordPolicy({ MinLength: 1, RejectCommon: 'yes' })).toEqual({ MinLength: 1, RejectCommon: false });
    for (const bad of [0, 129, 8.5, Number.NaN, '8x', null]) expect(normalisePasswordPolicy({ MinLength: bad, RejectCommon: true }), String(bad)).toBeNull();
  });
});

describe('email addresses', () => {
  it('accepts single, plausible addresses', () => {
    for (const a of ['ops@example.com', 'first.last+tag@mail.example.co.uk', "o'brien@example.org", 'x@192.0.2.1']) expect(isEmailAddress(a), a).toBe(true);
  });
  it('refuses display names, lists, missing parts and bad domains', () => {
    for (const a of ['', 'ops', 'ops@', '@example.com', 'Ops <ops@example.com>', 'a@example.com, b@example.com', 'a@b', 'a..b@example.com', '.a@example.com', 'a@-example.com', 'a@exa_mple.com', `${'x'.repeat(65)}@example.com`, 'a b@example.com']) {
      expect(isEmailAddress(a), a).toBe(false);
    }
  });
});

describe('host names', () => {
  it('accepts DNS names, a trailing dot and IPv4 literals', () => {
    for (const h of ['localhost', 'backup.example.com', 'backup.example.com.', 'xn--bcher-kva.example', '192.0.2.10', 'a-b.c']) expect(isHostName(h), h).toBe(true);
  });
  it('refuses empty labels, bad characters, leading/trailing hyphens and bad IPv4', () => {
    for (const h of ['', '.', 'a..b', '-a.example', 'a-.example', 'a_b.example', 'exa mple.com', '192.0.2.256', '1.2.3', 'http://example.com', `${'a'.repeat(64)}.example`]) {
      expect(isHostName(h), h).toBe(false);
    }
  });
});

describe('http(s) URLs', () => {
  it('accepts absolute http and https URLs with a host', () => {
    for (const u of ['https://psa.example.com/hook', 'http://192.0.2.1:8080/x?y=1', 'https://[2001:db8::1]/']) expect(isHttpUrl(u), u).toBe(true);
  });
  it('refuses other schemes, credentials, relative and malformed URLs', () => {
    for (const u of ['ftp://example.com/', 'javascript:alert(1)', 'file:///etc/passwd', '/relative', 'example.com', 'https://user:pw@example.com/', 'https://exa mple.com/', 'https://-bad.example/']) {
      expect(isHttpUrl(u), u).toBe(false);
    }
  });
});

describe('time zones', () => {
  it('knows the IANA zones of the runtime, UTC included, and refuses others', () => {
    const zones = timeZones();
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('UTC');
    expect(zones.length).toBeGreaterThan(300);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const z of ['', 'Mars/Olympus', 'GMT+25', 'Europe/Berlinx']) expect(isTimeZone(z), z).toBe(false);
  });
});

describe('length limits', () => {
  it('reports the exceeded limit instead of cutting', () => {
    expect(textLength('äöü😀')).toBe(4);
    expect(exceedsLength('abc', 3)).toBeNull();
    expect(exceedsLength('abcd', 3)).toBe(3);
  });
});
