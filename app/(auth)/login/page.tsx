import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { serverHasAdmin } from '../../../lib/admins/add-first-admin';
import { currentAdmin } from '../../../lib/console/session';
import { SignInForm } from '../../../components/console/SignInForm';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../../components/ui/card';

export const dynamic = 'force-dynamic';

export async function generateMetadata() {
  return { title: (await getTranslations('auth'))('title') };
}

/** Only same-site paths may be returned to after sign-in. */
function safeCallback(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  if (!(await serverHasAdmin())) redirect('/setup');
  const sp = await searchParams;
  const callbackUrl = safeCallback(sp.callbackUrl);
  if (await currentAdmin()) redirect(callbackUrl);
  const t = await getTranslations('auth');
  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle as="h1" className="text-xl">
          {t('title')}
        </CardTitle>
        <CardDescription>{t('subtitle')}</CardDescription>
      </CardHeader>
      <CardContent>
        <SignInForm callbackUrl={callbackUrl} initialUsername={sp.username ?? ''} notice={sp.expired ? 'expired' : sp.signedOut ? 'signedOut' : undefined} />
      </CardContent>
    </Card>
  );
}
