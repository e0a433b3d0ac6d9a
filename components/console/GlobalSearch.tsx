'use client';
// The global search bar: Alt+Q focuses it from anywhere; arrow keys move through the results and Enter
// opens one. Users, storage vaults, protected items, devices, jobs (by ID) and, for the top level, tenants,
// within what the admin may see; each opens the exact place it lives.
import { Building2, HardDrive, History, MonitorSmartphone, Search, ShieldCheck, UserRound } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { searchEverything } from '../../app/(console)/actions';
import type { GlobalSearchResult, SearchHit } from '../../lib/search/global-search';
import { cn } from '../ui/cn';
import { inputClass } from '../ui/input';

type Kind = 'user' | 'vault' | 'item' | 'device' | 'tenant' | 'job';
type Option = { kind: Kind; hit: SearchHit; href: string };

function optionsOf(r: GlobalSearchResult): Option[] {
  const user = (u: string) => `/users/${encodeURIComponent(u)}`;
  return [
    ...r.Users.map((hit) => ({ kind: 'user' as const, hit, href: user(hit.Username) })),
    ...r.StorageVaults.map((hit) => ({ kind: 'vault' as const, hit, href: `${user(hit.Username)}?tab=vaults#vault-${hit.ID}` })),
    ...r.ProtectedItems.map((hit) => ({ kind: 'item' as const, hit, href: `${user(hit.Username)}?tab=items#item-${hit.ID}` })),
    ...r.Devices.map((hit) => ({ kind: 'device' as const, hit, href: `${user(hit.Username)}?tab=devices#device-${hit.ID}` })),
    ...r.Organizations.map((hit) => ({ kind: 'tenant' as const, hit, href: `/tenants/${encodeURIComponent(hit.ID)}` })),
    ...r.Jobs.map((hit) => ({ kind: 'job' as const, hit, href: `/jobs/${encodeURIComponent(hit.ID)}` })),
  ];
}

const ICONS = { user: UserRound, vault: HardDrive, item: ShieldCheck, device: MonitorSmartphone, tenant: Building2, job: History };

export function GlobalSearch() {
  const t = useTranslations('search');
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [searched, setSearched] = useState('');
  // The list closes a moment after the box loses focus (so a click on an option still lands). Focusing or typing
  // again cancels that: otherwise Alt+Q and a quick query right after opening a result closed the new list.
  const closing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const keepOpen = () => {
    clearTimeout(closing.current);
    setOpen(true);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && (e.key === 'q' || e.key === 'Q' || e.code === 'KeyQ')) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setOptions([]);
      setSearched('');
      return;
    }
    let cancelled = false;
    const timer = setTimeout(async () => {
      const res = await searchEverything(q);
      if (cancelled) return;
      setOptions(res.ok ? optionsOf(res.data) : []);
      setSearched(q);
      setActive(0);
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);

  const go = (o: Option | undefined) => {
    if (!o) return;
    setOpen(false);
    setQuery('');
    input.current?.blur();
    router.push(o.href);
  };

  const showList = open && query.trim() !== '';
  const kindLabel: Record<Kind, string> = { user: t('users'), vault: t('vaults'), item: t('items'), device: t('devices'), tenant: t('tenants'), job: t('jobs') };
  return (
    <div className="relative w-full max-w-md">
      <Search className="pointer-events-none absolute start-2.5 top-2.5 size-4 text-muted-foreground" aria-hidden="true" />
      <input
        ref={input}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && options[active] ? `${listId}-${active}` : undefined}
        aria-label={t('label')}
        placeholder={t('placeholder')}
        className={cn(inputClass, 'ps-8 pe-16')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          keepOpen();
        }}
        onFocus={keepOpen}
        onBlur={() => {
          clearTimeout(closing.current);
          closing.current = setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((i) => Math.min(i + 1, Math.max(options.length - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            go(options[active]);
          } else if (e.key === 'Escape') {
            setOpen(false);
            input.current?.blur();
          }
        }}
      />
      <kbd className="pointer-events-none absolute end-2 top-2 rounded border bg-muted px-1.5 text-[10px] font-medium text-muted-foreground">Alt+Q</kbd>
      {showList && (
        <ul id={listId} role="listbox" aria-label={t('results')} className="absolute z-40 mt-1 max-h-96 w-full overflow-auto rounded-md border bg-popover p-1 shadow-lg">
          {options.length === 0 && searched === query.trim() && <li className="px-3 py-2 text-sm text-muted-foreground">{t('noResults')}</li>}
          {options.map((o, i) => {
            const Icon = ICONS[o.kind];
            return (
              <li
                key={`${o.kind}-${o.hit.Username}-${o.hit.ID}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={cn('flex cursor-pointer items-center gap-3 rounded-sm px-3 py-2 text-sm', i === active && 'bg-accent')}
                onMouseEnter={() => setActive(i)}
                onMouseDown={(e) => {
                  e.preventDefault();
                  go(o);
                }}
              >
                <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
                <span className="min-w-0 flex-1 truncate font-medium">{o.hit.Name}</span>
                <span className="truncate text-xs text-muted-foreground">
                  {kindLabel[o.kind]}
                  {o.hit.Detail ? ` · ${o.hit.Detail}` : ''}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
