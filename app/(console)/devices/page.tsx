import { getTranslations } from 'next-intl/server';
import { api, requireAdmin } from '../../../lib/console/session';
import type { DeviceState } from '../../../lib/live/dispatch';
import { LiveDevices, type LobbyRow, type RunningJob } from '../../../components/console/devices/LiveDevices';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('devices'))('title') };
}

export default async function DevicesPage() {
  await requireAdmin();
  const t = await getTranslations('devices');
  const [devices, lobby, running] = await Promise.all([
    api<DeviceState[]>('/api/v1/admin/dispatcher/list-devices'),
    api<Record<string, Omit<LobbyRow, 'id'>>>('/api/v1/admin/installation/list-active'),
    // Start = End = 0: the jobs that have not ended yet.
    api<RunningJob[]>('/api/v1/admin/get-jobs-for-date-range', { Start: 0, End: 0 }),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <LiveDevices devices={devices} lobby={Object.entries(lobby).map(([id, l]) => ({ ...l, id }))} running={running} />
    </>
  );
}
