import { getTranslations } from 'next-intl/server';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import type { DeviceStatusFilter } from '@/lib/live/list-device-states';
import type { DevicePage } from '@/lib/live/list-device-page';
import { LiveDevices, type LobbyRow, type RunningJob } from '../../../components/console/devices/LiveDevices';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('devices'))('title') };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** Devices per page of the devices table. */
const DEVICE_PAGE_SIZE = 50;

export default async function DevicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const t = await getTranslations('devices');
  const params = await searchParams;
  const q = one(params.q).slice(0, 200);
  const status: DeviceStatusFilter = one(params.status) === 'online' ? 'online' : one(params.status) === 'offline' ? 'offline' : '';
  const os = one(params.os).slice(0, 64);
  const outdated = one(params.outdated) === '1';
  const pageRaw = Number(one(params.page));
  const pageNo = Number.isInteger(pageRaw) && pageRaw >= 1 ? pageRaw : 1;
  const [page, counts, lobby, running, live] = await Promise.all([
    api<DevicePage>('/api/v1/admin/dispatcher/list-devices-page', {
      Offset: (pageNo - 1) * DEVICE_PAGE_SIZE,
      Limit: DEVICE_PAGE_SIZE,
      ...(q ? { Query: q } : {}),
      ...(status ? { Status: status } : {}),
      ...(os ? { OS: os } : {}),
      ...(outdated ? { Outdated: true } : {}),
    }),
    api<{ Total: number; Online: number }>('/api/v1/admin/dispatcher/count-devices'),
    api<Record<string, Omit<LobbyRow, 'id'>>>('/api/v1/admin/installation/list-active'),
    // Start = End = 0: the jobs that have not ended yet.
    api<RunningJob[]>('/api/v1/admin/get-jobs-for-date-range', { Start: 0, End: 0 }),
    api<Record<string, { Username: string; DeviceID: string }>>('/api/v1/admin/dispatcher/list-active'),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <LiveDevices
        page={page}
        pageSize={DEVICE_PAGE_SIZE}
        counts={counts}
        filter={{ q, status, os, outdated, page: pageNo }}
        lobby={Object.entries(lobby).map(([id, l]) => ({ ...l, id }))}
        running={running}
        online={Object.values(live).map((c) => `${c.Username}/${c.DeviceID}`)}
      />
    </>
  );
}
