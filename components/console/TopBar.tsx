'use client';
import { BookOpen, ChevronDown, Languages, LogOut, SlidersHorizontal, UserRound } from 'lucide-react';
import { signOut } from 'next-auth/react';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { savePreferences } from '../../app/(console)/actions';
import { setLocale } from '../../app/locale-action';
import { LOCALE_NAMES, LOCALES } from '../../lib/i18n/locales';
import { Button } from '../ui/button';
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../ui/dropdown-menu';
import { GlobalSearch } from './GlobalSearch';
import type { ShellBrand } from './brand-theme';
import { MobileNav, type NavKey } from './Sidebar';
import { useApiAction } from './use-api-action';

export function TopBar({ username, scope, advanced, guideDismissed, nav, brand }: { username: string; scope: string; advanced: boolean; guideDismissed: boolean; nav: NavKey[]; brand?: ShellBrand }) {
  const t = useTranslations('nav');
  const locale = useLocale();
  const router = useRouter();
  const { run } = useApiAction();
  return (
    <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/95 px-3 backdrop-blur md:gap-4 md:px-6">
      <MobileNav items={nav} brand={brand} />
      <GlobalSearch />
      <div className="ms-auto flex items-center gap-2">
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" className="gap-2" aria-label={`${t('userMenu')}: ${username}`} data-testid="user-menu">
              <UserRound />
              <span className="hidden max-w-40 truncate sm:inline" title={username}>
                {username}
              </span>
              <ChevronDown className="opacity-60" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end" className="w-64">
            <DropdownMenuLabel>
              <span className="block text-sm text-foreground">{username}</span>
              <span className="block">{scope}</span>
            </DropdownMenuLabel>
            <DropdownMenuSeparator />
            <DropdownMenuCheckboxItem
              checked={advanced}
              onCheckedChange={(checked) => run(() => savePreferences({ AdvancedOptions: checked === true }), () => router.refresh())}
            >
              <SlidersHorizontal /> {t('advanced')}
            </DropdownMenuCheckboxItem>
            {guideDismissed && (
              <DropdownMenuItem onSelect={() => run(() => savePreferences({ GuideDismissed: false }), () => router.refresh())}>
                <BookOpen /> {t('showGuide')}
              </DropdownMenuItem>
            )}
            <DropdownMenuSeparator />
            <DropdownMenuLabel className="flex items-center gap-2" data-testid="language-menu">
              <Languages className="size-3.5" /> {t('language')}
            </DropdownMenuLabel>
            <DropdownMenuRadioGroup
              value={locale}
              onValueChange={async (value) => {
                await setLocale(value);
                router.refresh();
              }}
            >
              {LOCALES.map((l) => (
                <DropdownMenuRadioItem key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </DropdownMenuRadioItem>
              ))}
            </DropdownMenuRadioGroup>
            <DropdownMenuSeparator />
            <DropdownMenuItem asChild>
              <Link href="/account">
                <UserRound /> {t('account')}
              </Link>
            </DropdownMenuItem>
            <DropdownMenuSeparator />
            <DropdownMenuItem onSelect={() => void signOut({ callbackUrl: '/login?signedOut=1' })}>
              <LogOut /> {t('signOut')}
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
    </header>
  );
}
