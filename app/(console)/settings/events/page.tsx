import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { EventsTail } from '../../../../components/console/settings/EventsTail';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';

export async function generateMetadata() {
  return { title: (await getTranslations('settings.events'))('title') };
}

export default async function EventsPage() {
  const admin = await requireAdmin();
  const t = await getTranslations('settings');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={settingsTabsFor(admin)} />
      <EventsTail />
    </>
  );
}
