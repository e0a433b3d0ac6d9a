'use server';
import { cookies, headers } from 'next/headers';
import { isLocale, LOCALE_COOKIE } from '../lib/i18n/locales';

/** The console language, for a year; unknown values are ignored. Secure over HTTPS like every console cookie. */
export async function setLocale(locale: string): Promise<void> {
  if (!isLocale(locale)) return;
  // server.ts keeps x-forwarded-proto only from a trusted proxy (else it is "http").
  const secure = (await headers()).get('x-forwarded-proto') === 'https';
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: false, secure });
}
