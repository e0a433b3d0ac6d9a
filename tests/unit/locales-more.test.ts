// Danish, Italian, Croatian and Portuguese (Portugal): the console's locale list and switcher names,
// Accept-Language matching (pt-PT now has its own catalogue; plain "pt" stays Brazilian), the report
// emails' Comet LanguageCode mapping, and API errors in the caller's language.
import { describe, expect, it } from 'vitest';
import { languageCodeFor, REPORT_LANGUAGES } from '../../lib/adapters/console/email-reports';
import { errorBody } from '../../lib/api/handle';
import { AuthError, NotFoundError } from '../../lib/errors';
import { EMAIL_LOCALES, emailLocale } from '../../lib/email/i18n';
import { DEFAULT_BRANDING, renderEmail, type JobLine } from '../../lib/email/render';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import { LOCALE_NAMES, LOCALES, localeFromAcceptLanguage } from '../../lib/i18n/locales';
import { translationGaps } from '../../scripts/i18n-missing';

describe('locales da, it, hr, pt-PT', () => {
  it('are console locales, named in their own language', () => {
    for (const l of ['da', 'it', 'hr', 'pt-PT'] as const) expect(LOCALES).toContain(l);
    expect(LOCALE_NAMES.da).toBe('Dansk');
    expect(LOCALE_NAMES.it).toBe('Italiano');
    expect(LOCALE_NAMES.hr).toBe('Hrvatski');
    expect(LOCALE_NAMES['pt-PT']).toBe('Português (Portugal)');
    expect(LOCALE_NAMES['pt-BR']).toBe('Português (Brasil)');
  });

  it('match Accept-Language: exact region first, then the language', () => {
    expect(localeFromAcceptLanguage('pt-PT')).toBe('pt-PT');
    expect(localeFromAcceptLanguage('pt-pt,pt;q=0.9,en;q=0.5')).toBe('pt-PT');
    expect(localeFromAcceptLanguage('pt-BR,pt;q=0.9')).toBe('pt-BR');
    // Plain Portuguese (and regions without their own catalogue) keep the Brazilian catalogue, as before.
    expect(localeFromAcceptLanguage('pt')).toBe('pt-BR');
    expect(localeFromAcceptLanguage('da-DK,da;q=0.9,en-US;q=0.8')).toBe('da');
    expect(localeFromAcceptLanguage('it-CH')).toBe('it');
    expect(localeFromAcceptLanguage('hr-HR')).toBe('hr');
    // q-values win over order; an unknown language falls through to the next one.
    expect(localeFromAcceptLanguage('de;q=0.4, it;q=0.8')).toBe('it');
    expect(localeFromAcceptLanguage('sv-SE, hr;q=0.3')).toBe('hr');
    expect(localeFromAcceptLanguage('sv-SE')).toBe('en');
  });

  it('map Comet LanguageCodes to report languages and back', () => {
    for (const l of ['da', 'it', 'hr', 'pt-PT'] as const) expect(EMAIL_LOCALES).toContain(l);
    expect(emailLocale('da_DK')).toBe('da');
    expect(emailLocale('it_IT')).toBe('it');
    expect(emailLocale('it_CH')).toBe('it');
    expect(emailLocale('hr_HR')).toBe('hr');
    expect(emailLocale('pt_PT')).toBe('pt-PT');
    expect(emailLocale('pt_BR')).toBe('pt-BR');
    expect(emailLocale('pt')).toBe('pt-BR');
    expect(languageCodeFor('da')).toBe('da_DK');
    expect(languageCodeFor('it')).toBe('it_IT');
    expect(languageCodeFor('hr')).toBe('hr_HR');
    expect(languageCodeFor('pt-PT')).toBe('pt_PT');
    expect(languageCodeFor('pt-BR')).toBe('pt_BR');
    const codes = REPORT_LANGUAGES.map((l) => l.code);
    for (const code of ['da_DK', 'it_IT', 'hr_HR', 'pt_PT']) expect(codes).toContain(code);
  });

  it('render report emails in the recipient language', () => {
    const job: JobLine = { guid: 'g', username: 'alice', status: 7002, classification: 4001, device: 'PC', item: 'Docs', vault: 'S3', start: 1_790_000_000, end: 1_790_000_600, uploaded: 1_500_000, downloaded: 0, totalSize: 2e9, files: 1234 };
    const cases = [
      ['da_DK', 'Backupoversigt', 'Du modtager denne e-mail'],
      ['it_IT', 'Riepilogo backup', 'Ricevi questa email'],
      ['hr_HR', 'Sažetak sigurnosnih kopija', 'Ovu e-poruku primate'],
      ['pt_PT', 'Resumo das cópias de segurança', 'Recebe este e-mail'],
    ] as const;
    for (const [code, title, why] of cases) {
      const r = renderEmail({
        content: { kind: 'summary', period: { start: 1_790_000_000, end: 1_790_086_400 }, totals: { jobs: 1, succeeded: 0, warnings: 0, failed: 1, running: 0 }, lines: [job], more: 0, groups: [] },
        languageCode: code,
        timeZone: 'UTC',
        branding: DEFAULT_BRANDING,
        recipient: 'ops@example.com',
      });
      expect(r.html, code).toContain(title);
      expect(r.text, code).toContain(why);
    }
  });

  it('answer API errors in the language of Accept-Language', () => {
    const it_ = localeFromAcceptLanguage('it-IT,it;q=0.9,en;q=0.5');
    expect(errorBody(new AuthError(), 'r1', '/p', it_)).toEqual({ Status: 403, Message: 'Nome utente o password errati' });
    expect(errorBody(new NotFoundError(apiMessage('userNotFound', { username: 'bob' }), 400), 'r1', '/p', it_).Message).toBe("Utente 'bob' non trovato");
    expect(errorBody(new Error('boom'), 'req-9', '/p', it_).Message).toBe('Errore interno del server (ID richiesta req-9)');
    // ICU '' is a literal apostrophe; the placeholder inside it is still filled.
    expect(localizeApiMessage(apiMessage('missingParam', { name: 'TargetUser' }), 'da')).toBe("Den påkrævede parameter 'TargetUser' mangler");
    expect(localizeApiMessage(apiMessage('missingParam', { name: 'TargetUser' }), 'hr')).toBe("Nedostaje obavezni parametar 'TargetUser'");
    expect(localizeApiMessage(apiMessage('incorrectCredentials'), localeFromAcceptLanguage('pt-PT'))).toBe('Nome de utilizador ou palavra-passe incorretos');
    expect(localizeApiMessage(apiMessage('incorrectCredentials'), localeFromAcceptLanguage('pt'))).toBe('Nome de usuário ou senha incorretos');
  });
});

describe('scripts/i18n-missing.ts', () => {
  it('lists the keys a locale lacks (with the English text) and the keys only it has', () => {
    const en = { a: { b: 'B {x}', c: 'C' }, d: 'D', 'subject.test': 'Test' };
    const other = { a: { b: 'b {x}', c: '  ' }, e: 'E', 'subject.test': 'Prova' };
    expect(translationGaps(en, other)).toEqual({ missing: { 'a.c': 'C', d: 'D' }, extra: ['e'] });
    expect(translationGaps(en, en)).toEqual({ missing: {}, extra: [] });
  });
});
