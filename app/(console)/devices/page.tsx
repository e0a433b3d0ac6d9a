import { getTranslations } from 'next-intl/server';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import type { DeviceState, DeviceStatusFilter } from '@/lib/live/list-device-states';
import { DEVICE_PAGE_LIMIT } from '@/lib/admins/page-sizes';
import { LiveDevices, type LobbyRow, type RunningJob } from '../../../components/console/devices/LiveDevices';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('devices'))('title') };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function DevicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const t = await getTranslations('devices');
  const params = await searchParams;
  const q = one(params.q).slice(0, 200);
  const status: DeviceStatusFilter = one(params.status) === 'online' ? 'online' : one(params.status) === 'offline' ? 'offline' : '';
  const [devices, counts, lobby, running, live] = await Promise.all([
    api<DeviceState[]>('/api/v1/admin/dispatcher/list-devices', { Limit: DEVICE_PAGE_LIMIT, ...(q ? { Query: q } : {}), ...(status ? { Status: status } : {}) }),
    api<{ Total: number; Online: number }>('/api/v1/admin/dispatcher/count-devices'),
    api<Record<string, Omit<LobbyRow, 'id'>>>('/api/v1/admin/installation/list-active'),
    // Start = End = 0: the jobs that have not ended yet.
    api<RunningJob[]>('/api/v1/admin/get-jobs-for-date-range', { Start: 0, End: 0 }),
    api<Record<string, { Username: string; DeviceID: string }>>('/api/v1/admin/dispatcher/list-active'),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <LiveDevices devices={devices} counts={counts} filter={{ q, status }} lobby={Object.entries(lobby).map(([id, l]) => ({ ...l, id }))} running={running} online={Object.values(live).map((c) => `${c.Username}/${c.DeviceID}`)} />
    </>
  );
}
