import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { serverHasAdmin, serverHasAnyAdmin } from '../../../lib/admins/add-first-admin';
import { safeCallbackPath } from '@/lib/adapters/console/safe-callback-url';
import { currentAdmin } from '@/lib/adapters/console/session';
import { publicBranding } from '@/lib/branding/public-branding';
import { SignInForm } from '../../../components/console/SignInForm';
import Link from 'next/link';
import { Alert } from '../../../components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../../components/ui/card';

export const dynamic = 'force-dynamic';

export async function generateMetadata() {
  return { title: (await getTranslations('auth'))('title') };
}

/** The console's own origin as the browser sees it (server.ts keeps a forwarded scheme/host only from a trusted proxy). */
async function consoleOrigin(): Promise<string> {
  const h = await headers();
  return `${h.get('x-forwarded-proto') === 'https' ? 'https' : 'http'}://${h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost'}`;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  if (!(await serverHasAnyAdmin())) redirect('/setup');
  const needsTopLevelAdmin = !(await serverHasAdmin());
  const sp = await searchParams;
  const callbackUrl = safeCallbackPath(sp.callbackUrl, await consoleOrigin());
  if (await currentAdmin()) redirect(callbackUrl);
  const t = await getTranslations('auth');
  // The organization that owns this host name brands its sign-in page (issue 19: branding-config).
  const brand = await publicBranding((await headers()).get('host') ?? '');
  return (
    <Card className="w-full max-w-sm" style={brand.topColor ? { borderTop: `4px solid ${brand.topColor}` } : undefined}>
      <CardHeader>
        {brand.logo ? (
          // eslint-disable-next-line @next/next/no-img-element -- a per-host resource served by /gen/logo, not a static asset
          <img src={`/gen/logo?v=${brand.logo.hash.slice(0, 16)}`} alt={brand.brandName} data-testid="brand-logo" className="mb-2 max-h-16 max-w-full self-start object-contain" />
        ) : brand.brandName !== 'Halley' ? (
          <p className="mb-1 text-sm font-semibold" data-testid="brand-name">
            {brand.brandName}
          </p>
        ) : null}
        <CardTitle as="h1" className="text-xl">
          {t('title')}
        </CardTitle>
        <CardDescription>{t('subtitle')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {needsTopLevelAdmin && (
          <Alert tone="info">
            {t('noTopLevelAdmin')}{' '}
            <Link href="/setup" className="font-medium underline">
              {t('createTopLevelAdmin')}
            </Link>
          </Alert>
        )}
        <SignInForm callbackUrl={callbackUrl} initialUsername={sp.username ?? ''} notice={sp.expired ? 'expired' : sp.signedOut ? 'signedOut' : undefined} />
      </CardContent>
    </Card>
  );
}
