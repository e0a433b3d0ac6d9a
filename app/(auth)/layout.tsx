import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { HalleyMark } from '../../components/console/HalleyMark';
import { LocaleSwitcher } from '../../components/console/LocaleSwitcher';

/** Sign-in and first-run pages: a centred card, the language switcher in the corner. */
export default async function AuthLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations('app');
  return (
    <div className="flex min-h-screen flex-col bg-muted/40">
      <header className="flex items-center justify-between px-6 py-4">
        <div className="flex items-center gap-2 font-semibold">
          <HalleyMark className="size-6" /> Halley
        </div>
        <LocaleSwitcher />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-10 pb-20">{children}</main>
      <footer className="px-6 py-4 text-center text-xs text-muted-foreground">{t('footer')}</footer>
    </div>
  );
}
