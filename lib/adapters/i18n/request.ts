// next-intl without locale routing: the language comes from the switcher's cookie, else the browser's
// Accept-Language. Loaded by the next-intl plugin (next.config.mjs) for every server render.
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from '../../i18n/locales';
import { TIME_ZONE_COOKIE, validTimeZone } from '../../i18n/time-zone';

export async function requestLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage((await headers()).get('accept-language'));
}

export default getRequestConfig(async () => {
  const locale = await requestLocale();
  const messages = (await import(`../../../messages/${locale}.json`)).default;
  // Dates appear in the admin's own time zone (reported by the browser), UTC until it is known.
  const timeZone = validTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value) ?? 'UTC';
  return { locale, messages, timeZone };
});
