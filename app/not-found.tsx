import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

export default async function NotFound() {
  const t = await getTranslations('errors');
  return (
    <main className="mx-auto grid max-w-lg gap-3 py-24 text-center">
      <h1 className="text-2xl font-semibold">{t('notFoundTitle')}</h1>
      <p className="text-muted-foreground">{t('notFound')}</p>
      <Link href="/" className="text-primary hover:underline">
        {t('home')}
      </Link>
    </main>
  );
}
