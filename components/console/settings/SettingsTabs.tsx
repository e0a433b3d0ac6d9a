'use client';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { SETTINGS_TAB_HREF, type SettingsTab } from '@/lib/adapters/console/settings-tabs';
import { cn } from '../../ui/cn';


export function SettingsTabs({ tabs }: { tabs: SettingsTab[] }) {
  const t = useTranslations('settings.tabs');
  const path = usePathname();
  return (
    <nav aria-label={t('label')} className="mb-6 inline-flex max-w-full flex-wrap items-center gap-1 rounded-lg bg-muted p-1 text-muted-foreground">
      {tabs.map((tab) => {
        const active = path === SETTINGS_TAB_HREF[tab];
        return (
          <Link
            key={tab}
            href={SETTINGS_TAB_HREF[tab]}
            aria-current={active ? 'page' : undefined}
            className={cn('rounded-md px-3 py-1 text-sm font-medium', active && 'bg-background text-foreground shadow-sm')}
          >
            {t(`${tab}`)}
          </Link>
        );
      })}
    </nav>
  );
}
