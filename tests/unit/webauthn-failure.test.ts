// Issue 19: @simplewebauthn/server's refusals of a registration, inside "The security key's response could not be
// verified: …", read in the reader's language for the cases Halley knows; English keeps the library's own text,
// and anything unknown stays quoted verbatim.
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import { webauthnFailure } from '../../lib/i18n/webauthn-failure';
import { SoftAuthenticator } from '../helpers/soft-authenticator';

const origin = 'https://backup.example.com';
const rpID = 'backup.example.com';

async function refusal(opts: { madeOn?: string; challenge?: string; rp?: string }) {
  const key = new SoftAuthenticator();
  const options = await generateRegistrationOptions({ rpName: 'Halley', rpID, userName: 'admin', attestationType: 'none' });
  const err = await verifyRegistrationResponse({
    response: key.register(options, opts.madeOn ?? origin),
    expectedChallenge: opts.challenge ?? options.challenge,
    expectedOrigin: origin,
    expectedRPID: opts.rp ?? rpID,
  }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  const why = webauthnFailure(err);
  const whole = apiMessage('securityKeyNotVerifiedWhy', { reason: why });
  return { key: why.key, english: (err as Error).message, en: localizeApiMessage(whole, 'en'), de: localizeApiMessage(whole, 'de'), ru: localizeApiMessage(whole, 'ru') };
}

describe('webauthnFailure', () => {
  it('another address', async () => {
    const r = await refusal({ madeOn: 'https://evil.example.com' });
    expect(r.key).toBe('webauthnOtherOrigin');
    expect(r.en).toBe(`The security key's response could not be verified: ${r.english}`);
    expect(r.de).toBe('Die Antwort des Sicherheitsschlüssels konnte nicht überprüft werden: die Antwort wurde auf einer anderen Adresse erstellt (https://evil.example.com)');
    expect(r.ru).toMatch(/ответ создан на другом адресе \(https:\/\/evil\.example\.com\)$/);
  });
  it('another challenge', async () => {
    const r = await refusal({ challenge: 'another-challenge' });
    expect(r.key).toBe('webauthnOtherChallenge');
    expect(r.de).toMatch(/: die Antwort gehört zu einer anderen Anfrage$/);
    expect(r.ru).toMatch(/ответ относится к другому запросу$/);
  });
  it('another site (RP ID)', async () => {
    const r = await refusal({ rp: 'other.example.com' });
    expect(r.key).toBe('webauthnOtherSite');
    expect(r.de).toMatch(/für eine andere Website erstellt \(RP-ID\)$/);
  });
  it('anything else stays quoted, English as the library said it', () => {
    const why = webauthnFailure(new Error('Something new from the library'));
    expect(why.key).toBe('causeReported');
    expect(localizeApiMessage(why, 'en')).toBe('Something new from the library');
    expect(localizeApiMessage(why, 'de')).toBe('gemeldeter Fehler: „Something new from the library“');
  });
});
