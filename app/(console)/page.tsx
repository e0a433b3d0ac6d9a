import { Building2, HardDrive, MonitorSmartphone, ShieldCheck, Users } from 'lucide-react';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import type { UserRow } from '../../lib/users/list-users-page';
import { PageHeader } from '../../components/console/PageHeader';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';

export async function generateMetadata() {
  return { title: (await getTranslations('overview'))('title') };
}

export default async function OverviewPage() {
  const admin = await requireAdmin();
  const t = await getTranslations('overview');
  const [users, policies, version, tenants] = await Promise.all([
    api<{ Users: UserRow[]; TotalCount: number }>('/api/v1/admin/list-users-page', { Limit: 5, SortBy: 'CreateTime', SortDesc: true }),
    api<Record<string, string>>('/api/v1/admin/policies/list'),
    api<{ Version: string; VersionCodename: string; ConfiguredDevices: number }>('/api/v1/admin/meta/version'),
    admin.isTopLevel ? api<Record<string, unknown>>('/api/v1/admin/organization/list') : Promise.resolve(null),
  ]);
  type StatKey = 'users' | 'devices' | 'policies' | 'tenants';
  const stats: Array<{ key: StatKey; value: number; icon: typeof Users; href: string }> = [
    { key: 'users', value: users.TotalCount, icon: Users, href: '/users' },
    { key: 'devices', value: version.ConfiguredDevices, icon: MonitorSmartphone, href: '/users' },
    { key: 'policies', value: Object.keys(policies ?? {}).length, icon: ShieldCheck, href: '/policies' },
    ...(tenants ? [{ key: 'tenants' as const, value: Object.keys(tenants).length, icon: Building2, href: '/tenants' }] : []),
  ];
  return (
    <>
      <PageHeader title={t('title')} description={t('welcome', { username: admin.username })} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {stats.map((s) => (
          <Link key={s.key} href={s.href}>
            <Card className="transition-colors hover:border-primary/40">
              <CardHeader className="flex-row items-center justify-between pb-2">
                <CardDescription>{t(`stats.${s.key}`)}</CardDescription>
                <s.icon className="size-4 text-muted-foreground" aria-hidden="true" />
              </CardHeader>
              <CardContent>
                <p className="text-3xl font-semibold tabular-nums" data-testid={`stat-${s.key}`}>
                  {s.value}
                </p>
              </CardContent>
            </Card>
          </Link>
        ))}
      </div>
      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('recentUsers')}</CardTitle>
          </CardHeader>
          <CardContent>
            {users.Users.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                {t('noUsers')}{' '}
                <Link className="text-primary hover:underline" href="/users?new=1">
                  {t('addUser')}
                </Link>
              </p>
            ) : (
              <ul className="divide-y">
                {users.Users.map((u) => (
                  <li key={u.Username} className="flex items-center justify-between py-2 text-sm">
                    <Link href={`/users/${encodeURIComponent(u.Username)}`} className="font-medium hover:underline">
                      {u.Username}
                    </Link>
                    <span className="flex items-center gap-3 text-muted-foreground">
                      <HardDrive className="size-3.5" aria-hidden="true" />
                      {t('vaultCount', { count: u.StorageVaults })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('serverTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2 text-sm">
            <p>{version.VersionCodename}</p>
            <p className="text-muted-foreground">{t('cometVersion', { version: version.Version })}</p>
            <p className="text-muted-foreground">{t('apiHint')}</p>
            <a className="text-primary hover:underline" href="/api/v1/openapi.json">
              {t('openapi')}
            </a>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
