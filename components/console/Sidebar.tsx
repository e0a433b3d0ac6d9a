'use client';
import { Building2, Download, Gauge, History, Menu, MonitorSmartphone, Receipt, Rocket, Settings, ShieldCheck, SlidersHorizontal, UserCog, Users, UsersRound, X } from 'lucide-react';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Dialog as D } from 'radix-ui';
import { useEffect, useState } from 'react';
import type { ShellBrand } from './brand-theme';
import { HalleyMark } from './HalleyMark';
import { cn } from '../ui/cn';

export type NavKey = 'overview' | 'users' | 'devices' | 'jobs' | 'policies' | 'tenants' | 'admins' | 'settings' | 'account' | 'campaigns' | 'billing' | 'groups' | 'clients';

const ITEMS: Record<NavKey, { href: string; icon: typeof Gauge }> = {
  overview: { href: '/', icon: Gauge },
  users: { href: '/users', icon: Users },
  devices: { href: '/devices', icon: MonitorSmartphone },
  jobs: { href: '/jobs', icon: History },
  policies: { href: '/policies', icon: ShieldCheck },
  tenants: { href: '/tenants', icon: Building2 },
  admins: { href: '/admins', icon: UserCog },
  groups: { href: '/groups', icon: UsersRound },
  billing: { href: '/billing', icon: Receipt },
  settings: { href: '/settings', icon: Settings },
  account: { href: '/account', icon: SlidersHorizontal },
  campaigns: { href: '/campaigns', icon: Rocket },
  clients: { href: '/clients', icon: Download },
};

const HALLEY: ShellBrand = { name: 'Halley', logoUrl: '', band: null };

export function Sidebar({ items, onNavigate, brand = HALLEY }: { items: NavKey[]; onNavigate?: () => void; brand?: ShellBrand }) {
  const t = useTranslations('nav');
  const path = usePathname();
  return (
    <nav aria-label={t('main')} className="flex flex-col gap-1 p-3">
      <Link
        href="/"
        onClick={onNavigate}
        data-testid="shell-brand"
        style={brand.band ?? undefined}
        className={cn('mb-4 flex min-w-0 items-center gap-2 rounded-md px-2 py-1 text-lg font-semibold', brand.band && 'py-2')}
      >
        {brand.logoUrl ? (
          // eslint-disable-next-line @next/next/no-img-element -- the organization's uploaded logo, served by /shell/logo
          <img src={brand.logoUrl} alt="" className="max-h-7 max-w-16 shrink-0 object-contain" />
        ) : (
          <HalleyMark className="size-7 shrink-0" />
        )}
        <span className="truncate" title={brand.name}>
          {brand.name}
        </span>
      </Link>
      {items.map((key) => {
        const { href, icon: Icon } = ITEMS[key];
        const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
        return (
          <Link
            key={key}
            href={href}
            onClick={onNavigate}
            aria-current={active ? 'page' : undefined}
            className={cn('flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground hover:bg-accent hover:text-accent-foreground', active && 'bg-accent text-accent-foreground')}
          >
            <Icon className="size-4" aria-hidden="true" />
            {t(key)}
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * Below 768 px the sidebar is hidden: this button in the top bar opens it as a drawer from the start side (the
 * left; the right in Hebrew) as a modal dialog: focus stays inside, Escape or a link closes it.
 */
export function MobileNav({ items, brand }: { items: NavKey[]; brand?: ShellBrand }) {
  const t = useTranslations('nav');
  const [open, setOpen] = useState(false);
  const path = usePathname();
  // A navigation that did not come from a link in the drawer (back button, search) closes it too.
  useEffect(() => setOpen(false), [path]);
  return (
    <D.Root open={open} onOpenChange={setOpen}>
      <D.Trigger className="-ms-1 inline-flex size-9 shrink-0 items-center justify-center rounded-md hover:bg-accent md:hidden" aria-label={t('openMenu')} data-testid="mobile-nav">
        <Menu className="size-5" aria-hidden="true" />
      </D.Trigger>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-50 bg-black/40 md:hidden" />
        <D.Content className="fixed inset-y-0 start-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto border-e bg-sidebar shadow-lg md:hidden" aria-describedby={undefined}>
          <D.Title className="sr-only">{t('main')}</D.Title>
          <Sidebar items={items} brand={brand} onNavigate={() => setOpen(false)} />
          <D.Close className="absolute end-3 top-3 inline-flex size-8 items-center justify-center rounded-md hover:bg-accent" aria-label={t('closeMenu')}>
            <X className="size-4" aria-hidden="true" />
          </D.Close>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
