import { cache, type ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { api, requireAdmin, consolePreferences } from '@/lib/adapters/console/session';
import { brandCss, shellBrand } from '../../components/console/brand-theme';
import type { GettingStarted } from '../../lib/meta/getting-started';
import { can } from '../../lib/tenancy/permissions';
import { ConsoleProviders } from '../../components/console/ConsoleProviders';
import { GettingStartedGuide } from '../../components/console/GettingStartedGuide';
import { Sidebar, type NavKey } from '../../components/console/Sidebar';
import { TopBar } from '../../components/console/TopBar';

export const dynamic = 'force-dynamic';

type ConsoleBranding = { BrandName: string; ProductName: string; TopColor: string; AccentColor: string; LogoHash: string };

/** The organization's display branding (its own, else the server's, else Halley's), once per request. */
const consoleBranding = cache(() => api<ConsoleBranding>('/api/v1/admin/halley/branding/console'));

export async function generateMetadata() {
  const { ProductName } = await consoleBranding();
  return { title: { default: ProductName, template: `%s · ${ProductName}` } };
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const admin = await requireAdmin();
  const [prefs, progress, branding] = await Promise.all([
    consolePreferences(),
    api<GettingStarted>('/api/v1/admin/meta/getting-started'),
    consoleBranding(),
  ]);
  const brand = shellBrand(branding);
  const accentCss = brandCss(branding.AccentColor);
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
      {accentCss && <style data-testid="brand-theme">{accentCss}</style>}
      <div className="flex min-h-screen">
        <aside className="sticky top-0 hidden h-screen w-64 shrink-0 flex-col border-e bg-sidebar md:flex">
          <Sidebar items={nav} brand={brand} />
          {!prefs.GuideDismissed && <GettingStartedGuide progress={progress} storageTemplates={can(admin, 'remote-storage.edit')} />}
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <TopBar username={admin.username} scope={admin.isTopLevel ? t('scopeTopLevel') : t('scopeTenant')} advanced={prefs.AdvancedOptions ?? false} guideDismissed={prefs.GuideDismissed ?? false} nav={nav} brand={brand} />
          <main className="mx-auto w-full max-w-7xl flex-1 px-3 py-4 sm:px-6 sm:py-6">{children}</main>
        </div>
      </div>
    </ConsoleProviders>
  );
}
