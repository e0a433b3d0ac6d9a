import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NotFoundError } from '../../../../lib/errors';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { PageHeader } from '../../../../components/console/PageHeader';
import { SEARCH_FIELDS } from '@/lib/job-search/fields';
import { UserDetail, type UserProfile } from '../../../../components/console/users/UserDetail';
import { Badge } from '../../../../components/ui/badge';
import { RequestStorageVault } from '../../../../components/console/storage/RequestStorageVault';

export async function generateMetadata({ params }: { params: Promise<{ username: string }> }) {
  return { title: decodeURIComponent((await params).username) };
}

export default async function UserPage({ params, searchParams }: { params: Promise<{ username: string }>; searchParams: Promise<{ tab?: string }> }) {
  const admin = await requireAdmin();
  const username = decodeURIComponent((await params).username);
  const { tab } = await searchParams;
  const t = await getTranslations('userDetail');
  let data: { Profile: UserProfile; ProfileHash: string };
  try {
    data = await api('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  } catch (err) {
    // A user of another tenant answers exactly like a missing one.
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
  const [policies, tenantChoices, sealed, jobs] = await Promise.all([
    api<Record<string, string>>('/api/v1/admin/policies/list'),
    tenantOptions(admin, t('topLevelOrganization')),
    // Which vault credentials are stored (names only): the editors show "set — replace?" for them.
    api<{ Destinations: Record<string, string[]> }>('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: username }),
    // The newest 500 jobs feed the vault size and transfer charts.
    api<Array<{ EndTime: number; DestinationGUID: string; UploadSize: number; DownloadSize: number; DestinationSizeEnd?: { Size?: number } }>>('/api/v1/admin/get-jobs-for-user', {
      TargetUser: username,
      Limit: 500,
      NewestFirst: true,
    }),
  ]);
  const points = jobs.map((j) => ({ end: j.EndTime, vault: j.DestinationGUID, vaultSize: j.DestinationSizeEnd?.Size ?? 0, upload: j.UploadSize, download: j.DownloadSize }));
  const orgName = tenantChoices?.find((o) => o.id === (data.Profile.OrganizationID ?? ''))?.name;
  return (
    <>
      <nav className="mb-2 text-sm text-muted-foreground">
        <Link href="/users" className="hover:underline">
          {t('breadcrumb')}
        </Link>{' '}
        / {username}
      </nav>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {username}
            {data.Profile.IsSuspended ? <Badge variant="warning">{t('suspended')}</Badge> : <Badge variant="success">{t('active')}</Badge>}
          </span>
        }
        description={[data.Profile.AccountName, orgName].filter(Boolean).join(' · ') || undefined}
        actions={<RequestStorageVault username={username} organization={admin.isTopLevel ? (data.Profile.OrganizationID ?? '') : ''} />}
      />
      <UserDetail username={username} profile={data.Profile} hash={data.ProfileHash} sealed={sealed.Destinations} policies={policies ?? {}} tenants={tenantChoices} initialTab={tab ?? 'profile'} jobPoints={points} fields={Object.entries(SEARCH_FIELDS).map(([name, f]) => ({ name, kind: f.kind }))} />
    </>
  );
}
