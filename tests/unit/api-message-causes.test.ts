// Issues 19 and 20: messages built around a cause are translated whole. The outbound guard's reasons, object-key
// problems, Zod issues and SMTP failures come from the "api" catalogue: English exactly as before (callers, logs and
// tests read it), every other locale from the catalogue.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localizeApiMessage, type ApiMessage } from '../../lib/i18n/api-messages';
import { zodIssueMessage, zodIssuesMessage } from '../../lib/i18n/zod-issue-message';
import { forbiddenAddressMessage, literalRefusal, literalRefusalMessage, resolveTarget, TargetRefusedError } from '../../lib/net/outbound-guard';
import { objectKeyProblem } from '../../lib/storage/bucket-paths';
import { smtpFailureMessage } from '../../lib/email/transport';
import { parseCampaignOptions } from '../../lib/campaigns/campaign-options';
import type { AppError } from '../../lib/errors';

const HINT_EN = 'allow private targets with HALLEY_ALLOW_PRIVATE_TARGETS or meta/webhook-settings/set AllowPrivateTargets';

describe('the outbound guard’s reasons', () => {
  it('keep their English and translate as a whole', async () => {
    expect(literalRefusal('10.1.2.3', false, 'storage endpoint')).toBe(`Refused storage endpoint 10.1.2.3: 10.1.2.3 is a loopback, private, link-local or reserved IPv4 address (${HINT_EN})`);
    const m = literalRefusalMessage('10.1.2.3', false, 'storage endpoint')!;
    expect(localizeApiMessage(m, 'de')).toBe('Speicher-Endpunkt 10.1.2.3 abgelehnt: 10.1.2.3 ist eine Loopback-, private, Link-Local- oder reservierte IPv4-Adresse (private Ziele erlauben mit HALLEY_ALLOW_PRIVATE_TARGETS oder meta/webhook-settings/set AllowPrivateTargets)');
    expect(localizeApiMessage(m, 'ja')).toContain('ストレージエンドポイント 10.1.2.3 は拒否されました');
    expect(localizeApiMessage(forbiddenAddressMessage('fd00::1')!, 'he')).toBe('fd00::1 היא כתובת IPv6 של לולאה חוזרת, פרטית, מקומית לקישור או שמורה');
  });

  it('a refusal error carries its message; a target kind the catalogue does not know stays as the caller wrote it', async () => {
    const err = await resolveTarget('127.0.0.1', false, 'SMTP server').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetRefusedError);
    const refused = err as TargetRefusedError;
    expect(refused.message).toBe(`Refused SMTP server 127.0.0.1: 127.0.0.1 is a loopback, private, link-local or reserved IPv4 address (${HINT_EN})`);
    expect(localizeApiMessage(refused.translatable!, 'es')).toMatch(/^Se rechazó servidor SMTP 127\.0\.0\.1: 127\.0\.0\.1 es una dirección IPv4/);
    const odd = literalRefusalMessage('127.0.0.1', false, 'odd thing')!;
    expect(odd.text).toMatch(/^Refused odd thing 127\.0\.0\.1: /);
    expect(localizeApiMessage(odd, 'fr')).toMatch(/^odd thing 127\.0\.0\.1 refusé : /);
  });
});

describe('object-key problems', () => {
  it('are catalogue messages with the English the object API answered before', () => {
    expect(objectKeyProblem('ok/key')).toBeNull();
    expect(objectKeyProblem('', true)).toBeNull();
    expect(objectKeyProblem('')!.text).toBe('the object key is empty');
    expect(objectKeyProblem('a/.b')!.text).toBe("object key segment '.b' is not allowed (letters, digits and . _ = - only; not starting with '.')");
    expect(localizeApiMessage(objectKeyProblem('a/.b')!, 'ja')).toBe('オブジェクトキーのセグメント「.b」は使用できません（英字、数字、. _ = - のみ。「.」で始めることはできません）');
    expect(localizeApiMessage(objectKeyProblem('x'.repeat(5000))!, 'de')).toMatch(/^ein Objektschlüssel hat höchstens \d+ Zeichen$/);
  });
});

describe('Zod issues', () => {
  const Z = z.object({ N: z.number().min(0, 'must not be negative'), S: z.string().max(3), E: z.enum(['a', 'b']), B: z.boolean() }).strict();
  const issues = Z.safeParse({ N: -1, S: 'long', E: 'c', B: 'yes', X: 1 }).error!.issues;
  const by = (path: string) => issues.find((i) => i.path.join('.') === path)!;

  it('keep Zod’s English and translate by code, with limits and options', () => {
    for (const issue of issues) expect(zodIssueMessage(issue).text).toBe(issue.message);
    expect(localizeApiMessage(zodIssueMessage(by('N')), 'de')).toBe('darf nicht negativ sein');
    expect(localizeApiMessage(zodIssueMessage(by('S')), 'es')).toBe('debe tener como máximo 3 caracteres');
    expect(localizeApiMessage(zodIssueMessage(by('E')), 'fr')).toBe('doit être l’une des valeurs "a", "b"');
    expect(localizeApiMessage(zodIssueMessage(by('B')), 'ja')).toBe('入力が無効です: boolean である必要があります');
    expect(localizeApiMessage(zodIssueMessage(by('')), 'he')).toBe('מפתחות לא מוכרים: "X"');
  });

  it('several issues read as one message with their paths', () => {
    const all = zodIssuesMessage(issues, 'value');
    expect(all.text).toBe(issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; '));
    expect(localizeApiMessage(all, 'de')).toContain('N: darf nicht negativ sein; S: darf höchstens 3 Zeichen haben');
  });

  it('campaign options name the path and translate the issue', () => {
    let err: AppError | undefined;
    try {
      parseCampaignOptions({ Active: 'yes' });
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.message).toBe("Parameter 'Options' (UpdateCampaignOptions): Active: Invalid input: expected boolean, received string");
    expect(localizeApiMessage(err!.translatable as ApiMessage, 'de')).toBe("Parameter 'Options' (UpdateCampaignOptions): Active: Ungültige Eingabe: boolean erwartet");
  });

  it('a refinement names its catalogue key in params', () => {
    const refined = z.number().refine((n) => n === 10, { message: 'must be one of 10', params: { apiKey: 'zodInvalidValue', options: '10' } });
    const issue = refined.safeParse(7).error!.issues[0];
    expect(zodIssueMessage(issue).text).toBe('must be one of 10');
    expect(localizeApiMessage(zodIssueMessage(issue), 'nl')).toBe('moet een van 10 zijn');
  });
});

describe('SMTP failures', () => {
  it('wrap the server’s reply in a sentence of the caller’s language; English stays nodemailer’s', () => {
    const auth = Object.assign(new Error('Invalid login: 535 5.7.8 Authentication failed'), { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed' });
    const m = smtpFailureMessage(auth) as ApiMessage;
    expect(m.text).toBe('Invalid login: 535 5.7.8 Authentication failed');
    expect(localizeApiMessage(m, 'de')).toBe('der SMTP-Server hat die Anmeldung abgelehnt: 535 5.7.8 Authentication failed');
    const envelope = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 no such user"), { code: 'EENVELOPE', responseCode: 550, response: '550 no such user' });
    expect(localizeApiMessage(smtpFailureMessage(envelope) as ApiMessage, 'he')).toBe('שרת ה-SMTP דחה את השולח או נמען: 550 no such user');
    expect(smtpFailureMessage(new Error('plain'))).toBe('plain');
  });
});
