// Russian, Hebrew, Traditional Chinese and Japanese: which Accept-Language / Comet LanguageCode picks them,
// the writing direction, API errors and report emails in those languages.
import { describe, expect, it } from 'vitest';
import { errorBody } from '../../lib/api/handle';
import { languageCodeFor } from '../../lib/adapters/console/email-reports';
import { renderEmail } from '../../lib/email/render';
import { emailLocale } from '../../lib/email/i18n';
import { AuthError, NotFoundError } from '../../lib/errors';
import { apiMessage } from '../../lib/i18n/api-messages';
import { chineseVariant, localeDirection, localeFromAcceptLanguage } from '../../lib/i18n/locales';

describe('Accept-Language → console locale', () => {
  it('picks Traditional Chinese for Taiwan, Hong Kong, Macao and the Hant script', () => {
    for (const header of ['zh-TW', 'zh-tw', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-TW', 'zh-Hant-HK', 'zh-TW,zh;q=0.9,en;q=0.8']) {
      expect(localeFromAcceptLanguage(header), header).toBe('zh-Hant');
    }
  });

  it('does not answer Simplified or unspecified Chinese in Traditional: the next preference wins, else English', () => {
    expect(localeFromAcceptLanguage('zh-CN')).toBe('en');
    expect(localeFromAcceptLanguage('zh')).toBe('en');
    expect(localeFromAcceptLanguage('zh-Hans-TW')).toBe('en');
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9,ja;q=0.8')).toBe('ja');
    expect(localeFromAcceptLanguage('zh-SG, ru;q=0.5')).toBe('ru');
    expect(chineseVariant('en-US')).toBeNull();
  });

  it('matches ru, he and ja with or without a region, by quality', () => {
    expect(localeFromAcceptLanguage('ru-RU,ru;q=0.9')).toBe('ru');
    expect(localeFromAcceptLanguage('he-IL')).toBe('he');
    expect(localeFromAcceptLanguage('ja')).toBe('ja');
    expect(localeFromAcceptLanguage('en;q=0.4, ja-JP;q=0.9')).toBe('ja');
  });

  it('reads Hebrew right to left and everything else left to right', () => {
    expect(localeDirection('he')).toBe('rtl');
    expect(localeDirection('he-IL')).toBe('rtl');
    for (const l of ['en', 'ru', 'ja', 'zh-Hant', 'de']) expect(localeDirection(l)).toBe('ltr');
  });
});

describe('Comet LanguageCode ↔ report language', () => {
  it('maps the four languages both ways', () => {
    expect(emailLocale('ru_RU')).toBe('ru');
    expect(emailLocale('he_IL')).toBe('he');
    expect(emailLocale('zh_TW')).toBe('zh-Hant');
    expect(emailLocale('zh_HK')).toBe('zh-Hant');
    expect(emailLocale('zh_Hant')).toBe('zh-Hant');
    expect(emailLocale('ja_JP')).toBe('ja');
    expect(emailLocale('zh_CN')).toBe('en');
    expect(emailLocale('zh')).toBe('en');
    expect(languageCodeFor('ru')).toBe('ru_RU');
    expect(languageCodeFor('he')).toBe('he_IL');
    expect(languageCodeFor('zh-Hant')).toBe('zh_TW');
    expect(languageCodeFor('ja')).toBe('ja_JP');
  });

  const branding = { brandName: 'Acme', productName: 'Acme Backup', companyName: 'Acme', topColor: '#123456', accentColor: '#654321' };
  const render = (languageCode: string) =>
    renderEmail({ content: { kind: 'test' }, languageCode, timeZone: 'UTC', branding, recipient: 'ops@example.test' });

  it('renders the test email in Japanese and in Hebrew, right to left', () => {
    const ja = render('ja_JP');
    expect(ja.subject).toBe('Acme: テストメール');
    expect(ja.html).toContain('<html lang="ja">');
    const he = render('he_IL');
    expect(he.subject).toBe('Acme: הודעת בדיקה');
    expect(he.html).toContain('<html lang="he" dir="rtl">');
    expect(render('zh_TW').subject).toBe('Acme：測試郵件');
  });
});

describe('API errors in the caller language', () => {
  it('answers in Japanese for Accept-Language: ja-JP', () => {
    const locale = localeFromAcceptLanguage('ja-JP,ja;q=0.9,en;q=0.5');
    expect(errorBody(new AuthError(), 'r1', '/api/v1/admin/get-user-profile', locale)).toEqual({ Status: 403, Message: 'ユーザー名またはパスワードが正しくありません' });
    expect(errorBody(new NotFoundError(apiMessage('userNotFound', { username: 'bob' }), 400), 'r1', '/p', locale).Message).toBe('ユーザー「bob」が見つかりません');
  });

  it('answers in Russian, Hebrew and Traditional Chinese with the values in place', () => {
    const err = new NotFoundError(apiMessage('missingParam', { name: 'TargetUser' }), 400);
    expect(errorBody(err, 'r1', '/p', 'ru').Message).toBe('Отсутствует обязательный параметр «TargetUser»');
    expect(errorBody(err, 'r1', '/p', 'he').Message).toBe('חסר פרמטר חובה "TargetUser"');
    expect(errorBody(err, 'r1', '/p', localeFromAcceptLanguage('zh-TW')).Message).toBe('缺少必要參數「TargetUser」');
  });
});
