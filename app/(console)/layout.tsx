import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { api, requireAdmin, consolePreferences } from '@/lib/adapters/console/session';
import type { GettingStarted } from '../../lib/meta/getting-started';
import { can } from '../../lib/tenancy/permissions';
import { ConsoleProviders } from '../../components/console/ConsoleProviders';
import { GettingStartedGuide } from '../../components/console/GettingStartedGuide';
import { Sidebar, type NavKey } from '../../components/console/Sidebar';
import { TopBar } from '../../components/console/TopBar';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const admin = await requireAdmin();
  const [prefs, progress] = await Promise.all([
    consolePreferences(),
    api<GettingStarted>('/api/v1/admin/meta/getting-started'),
  ]);
  const t = await getTranslations('nav');
  const nav: NavKey[] = ['overview', 'users', 'devices', 'jobs', 'policies'];
  if (admin.isTopLevel) nav.push('tenants');
  if (admin.isTopLevel) nav.push('campaigns');
  nav.push('clients');
  if (admin.isTopLevel && can(admin, 'admins.manage')) nav.push('admins');
  nav.push('groups');
  nav.push('billing');
  nav.push('settings');
  nav.push('account');
  return (
    <ConsoleProviders advanced={prefs.AdvancedOptions ?? false}>
      <div className="flex min-h-screen">
        <aside className="sticky top-0 hidden h-screen w-64 shrink-0 flex-col border-e bg-sidebar md:flex">
          <Sidebar items={nav} />
          {!prefs.GuideDismissed && <GettingStartedGuide progress={progress} />}
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <TopBar username={admin.username} scope={admin.isTopLevel ? t('scopeTopLevel') : t('scopeTenant')} advanced={prefs.AdvancedOptions ?? false} guideDismissed={prefs.GuideDismissed ?? false} nav={nav} />
          <main className="mx-auto w-full max-w-7xl flex-1 px-3 py-4 sm:px-6 sm:py-6">{children}</main>
        </div>
      </div>
    </ConsoleProviders>
  );
}
