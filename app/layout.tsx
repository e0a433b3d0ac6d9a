import type { ReactNode } from 'react';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { localeDirection } from '@/lib/i18n/locales';
import './globals.css';

export async function generateMetadata() {
  const t = await getTranslations('app');
  return { title: { default: 'Halley', template: '%s · Halley' }, description: t('description') };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale} dir={localeDirection(locale)}>
      <body className="min-h-screen">
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
