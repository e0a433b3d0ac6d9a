'use client';
import { Building2, Gauge, History, MonitorSmartphone, Receipt, Rocket, Settings, ShieldCheck, SlidersHorizontal, UserCog, Users, UsersRound } from 'lucide-react';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { HalleyMark } from './HalleyMark';
import { cn } from '../ui/cn';

export type NavKey = 'overview' | 'users' | 'devices' | 'jobs' | 'policies' | 'tenants' | 'admins' | 'settings' | 'account' | 'campaigns' | 'billing' | 'groups';

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
};

export function Sidebar({ items }: { items: NavKey[] }) {
  const t = useTranslations('nav');
  const path = usePathname();
  return (
    <nav aria-label={t('main')} className="flex flex-col gap-1 p-3">
      <Link href="/" className="mb-4 flex items-center gap-2 px-2 py-1 text-lg font-semibold">
        <HalleyMark className="size-7" /> Halley
      </Link>
      {items.map((key) => {
        const { href, icon: Icon } = ITEMS[key];
        const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
        return (
          <Link
            key={key}
            href={href}
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
