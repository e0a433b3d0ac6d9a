'use server';
import { cookies } from 'next/headers';
import { isLocale, LOCALE_COOKIE } from '../lib/i18n/locales';

/** The console language, for a year; unknown values are ignored. */
export async function setLocale(locale: string): Promise<void> {
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: false });
}
