import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { serverHasAdmin } from '../../../lib/admins/add-first-admin';
import { FirstAdminForm } from '../../../components/console/FirstAdminForm';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../../components/ui/card';

export const dynamic = 'force-dynamic';

export async function generateMetadata() {
  return { title: (await getTranslations('setup'))('title') };
}

export default async function SetupPage() {
  if (await serverHasAdmin()) redirect('/login');
  const t = await getTranslations('setup');
  return (
    <Card className="w-full max-w-md">
      <CardHeader>
        <CardTitle as="h1" className="text-xl">
          {t('title')}
        </CardTitle>
        <CardDescription>{t('intro')}</CardDescription>
      </CardHeader>
      <CardContent>
        <FirstAdminForm />
      </CardContent>
    </Card>
  );
}
