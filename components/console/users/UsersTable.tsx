'use client';
// The users table (@tanstack/react-table v9): server-side paging, sorting and search; the URL holds the
// state (lib/adapters/console/table-state.ts). Rows per page, the column choice and the row density are also
// saved for the admin. Rows can be selected for the bulk actions (UsersBulkBar); each row then shows its result.
import {
  columnVisibilityFeature,
  createColumnHelper,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnVisibilityState,
  type PaginationState,
  type SortingState,
} from '@tanstack/react-table';
import { ArrowDown, ArrowUp, ArrowUpDown, CheckCircle2, ChevronLeft, ChevronRight, Columns3, Download, Rows3, Search, XCircle } from 'lucide-react';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { savePreferences } from '../../../app/(console)/actions';
import { PAGE_SIZES } from '@/lib/admins/page-sizes';
import { tableStateQuery, type TableUrlState } from '@/lib/adapters/console/table-state';
import type { UserRow } from '../../../lib/desk/list-users-page';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from '../../ui/dropdown-menu';
import { Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { formatBytes } from '../format';
import { useUrlSearch } from '../use-url-search';
import type { TDensity, UserColumn } from './columns';
import { Truncated } from './Truncated';
import { UsersBulkBar, type TBulkResult } from './UsersBulkBar';

const UNSORTABLE = new Set<string>(['Emails', 'Policy', 'select']);

/** Colour and label of a backup job status (Comet JobStatus ranges). */
function backupTone(status: number): { tone: string; key: 'success' | 'warning' | 'failed' | 'running' | 'never' } {
  if (status === 0) return { tone: 'bg-muted-foreground/40', key: 'never' };
  if (status >= 5000 && status < 6000) return { tone: 'bg-success', key: 'success' };
  if (status >= 6000 && status < 7000) return { tone: 'bg-primary', key: 'running' };
  if (status === 7001) return { tone: 'bg-warning', key: 'warning' };
  return { tone: 'bg-destructive', key: 'failed' };
}

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature, columnVisibilityFeature });
const helper = createColumnHelper<typeof features, UserRow>();

export function UsersTable({
  rows,
  total,
  state,
  columns,
  policies,
  density: initialDensity,
  renderedAt,
}: {
  rows: UserRow[];
  total: number;
  state: TableUrlState;
  columns: string[];
  policies: Record<string, string>;
  density: TDensity;
  /** When the server rendered the rows (ms): relative times read the same on the server and at hydration. */
  renderedAt: number;
}) {
  const t = useTranslations('users');
  const format = useFormatter();
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNav] = useTransition();
  const navigate = (next: Partial<TableUrlState>, mode: 'push' | 'replace' = 'push') => {
    const url = `${pathname}?${tableStateQuery({ ...state, ...next })}`;
    startNav(() => (mode === 'push' ? router.push(url, { scroll: false }) : router.replace(url, { scroll: false })));
  };
  const [search, setSearch] = useUrlSearch(state.q, (q) => navigate({ q, page: 1 }, 'replace'));
  const [density, setDensity] = useState<TDensity>(initialDensity);
  const compact = density === 'compact';
  // Selected usernames survive paging and sorting, so a selection can span pages.
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [results, setResults] = useState<Map<string, TBulkResult>>(() => new Map());
  const pageNames = rows.map((r) => r.Username);
  const allOnPage = pageNames.length > 0 && pageNames.every((n) => selected.has(n));
  const toggle = (names: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const n of names) {
        if (on) next.add(n);
        else next.delete(n);
      }
      return next;
    });
  const now = renderedAt;

  const columnDefs = useMemo(
    () =>
      helper.columns([
        helper.display({
          id: 'select',
          header: () => (
            <input type="checkbox" className="size-3.5 cursor-pointer accent-primary align-middle" aria-label={t('selectAll')} checked={allOnPage} onChange={(e) => toggle(pageNames, e.target.checked)} />
          ),
          cell: (info) => (
            <input
              type="checkbox"
              className="size-3.5 cursor-pointer accent-primary align-middle"
              aria-label={t('selectRow', { username: info.row.original.Username })}
              checked={selected.has(info.row.original.Username)}
              onChange={(e) => toggle([info.row.original.Username], e.target.checked)}
            />
          ),
          enableHiding: false,
        }),
        helper.accessor('Username', {
          id: 'Username',
          header: () => t('columns.Username'),
          cell: (info) => {
            const result = results.get(info.getValue());
            return (
              <span className="flex min-w-0 items-center gap-1.5">
                <Link className="min-w-0 font-medium text-primary hover:underline" href={`/users/${encodeURIComponent(info.getValue())}`} title={info.getValue()}>
                  <span className="block max-w-56 truncate">{info.getValue()}</span>
                </Link>
                {result &&
                  (result.ok ? (
                    <CheckCircle2 className="size-3.5 shrink-0 text-success" aria-label={t('bulk.resultOk')} data-testid="bulk-result-ok" />
                  ) : (
                    <span className="inline-flex min-w-0 items-center gap-1 text-destructive" data-testid="bulk-result-failed">
                      <XCircle className="size-3.5 shrink-0" aria-label={t('bulk.resultFailed')} />
                      <Truncated text={result.message} className="max-w-64 text-xs" />
                    </span>
                  ))}
              </span>
            );
          },
          enableHiding: false,
        }),
        helper.accessor('AccountName', { id: 'AccountName', header: () => t('columns.AccountName'), cell: (i) => (i.getValue() ? <Truncated text={i.getValue()} className="max-w-48" /> : <span className="text-muted-foreground">—</span>) }),
        helper.accessor('OrganizationName', {
          id: 'Organization',
          header: () => t('columns.Organization'),
          cell: (i) => <Truncated text={i.row.original.OrganizationID === '' ? t('topLevelOrganization') : i.getValue()} className="max-w-40" />,
        }),
        helper.accessor('Emails', { id: 'Emails', header: () => t('columns.Emails'), cell: (i) => (i.getValue().length ? <Truncated text={i.getValue().join(', ')} className="max-w-56" /> : '') }),
        helper.accessor('LastBackupStatus', {
          id: 'LastBackup',
          header: () => t('columns.LastBackup'),
          cell: (i) => {
            const { tone, key } = backupTone(i.getValue());
            const time = i.row.original.LastBackupTime;
            const at = time ? new Date(time * 1000) : null;
            return (
              <span className="inline-flex items-center gap-1.5 whitespace-nowrap" data-status={key} title={at ? format.dateTime(at, { dateStyle: 'medium', timeStyle: 'short' }) : undefined}>
                <span className={`size-2 shrink-0 rounded-full ${tone}`} aria-hidden="true" />
                <span className={key === 'failed' ? 'text-destructive' : key === 'never' ? 'text-muted-foreground' : undefined}>{t(`lastBackup.${key}`)}</span>
                {at && <span className="text-muted-foreground">· {format.relativeTime(at, now)}</span>}
              </span>
            );
          },
        }),
        helper.accessor('StorageUsedBytes', {
          id: 'StorageUsed',
          header: () => t('columns.StorageUsed'),
          cell: (i) => {
            const r = i.row.original;
            const over = r.QuotaEnabled && r.QuotaBytes > 0 && i.getValue() >= r.QuotaBytes;
            return (
              <span className={`whitespace-nowrap tabular-nums ${over ? 'text-destructive' : ''}`}>
                {formatBytes(i.getValue(), locale)}
                {r.QuotaEnabled && <span className="text-muted-foreground"> / {formatBytes(r.QuotaBytes, locale)}</span>}
              </span>
            );
          },
        }),
        helper.accessor('Devices', {
          id: 'Devices',
          header: () => t('columns.Devices'),
          cell: (i) => (
            <span className="inline-flex items-center gap-1.5 tabular-nums">
              <span className={`size-2 rounded-full ${i.row.original.DevicesOnline > 0 ? 'bg-success' : 'bg-muted-foreground/30'}`} aria-hidden="true" />
              {i.row.original.DevicesOnline}/{i.getValue()}
            </span>
          ),
        }),
        helper.accessor('ProtectedItems', { id: 'ProtectedItems', header: () => t('columns.ProtectedItems'), cell: (i) => <span className="tabular-nums">{i.getValue()}</span> }),
        helper.accessor('StorageVaults', { id: 'StorageVaults', header: () => t('columns.StorageVaults'), cell: (i) => <span className="tabular-nums">{i.getValue()}</span> }),
        helper.accessor('QuotaBytes', {
          id: 'Quota',
          header: () => t('columns.Quota'),
          cell: (i) => (i.row.original.QuotaEnabled ? formatBytes(i.getValue(), locale) : <span className="text-muted-foreground">{t('unlimited')}</span>),
        }),
        helper.accessor('PolicyID', {
          id: 'Policy',
          header: () => t('columns.Policy'),
          cell: (i) => (i.getValue() ? <Truncated text={policies[i.getValue()] ?? i.getValue()} className="max-w-40" /> : <span className="text-muted-foreground">—</span>),
        }),
        helper.accessor('IsSuspended', {
          id: 'Status',
          header: () => t('columns.Status'),
          cell: (i) => (
            <Badge variant={i.getValue() ? 'warning' : 'success'} className={compact ? 'py-0 text-[11px] leading-[14px]' : undefined}>
              {i.getValue() ? t('suspended') : t('active')}
            </Badge>
          ),
        }),
        helper.accessor('CreateTime', {
          id: 'CreateTime',
          header: () => t('columns.CreateTime'),
          cell: (i) => <span className="whitespace-nowrap">{i.getValue() ? format.dateTime(new Date(i.getValue() * 1000), { dateStyle: 'medium' }) : '—'}</span>,
        }),
      ]).filter((c) => c.id === 'select' || columns.includes(c.id as string)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- toggle/pageNames/now derive from the listed state
    [t, format, locale, policies, columns, selected, results, allOnPage, compact, rows],
  );

  const sorting: SortingState = [{ id: state.sort, desc: state.desc }];
  const pagination: PaginationState = { pageIndex: state.page - 1, pageSize: state.size };
  const columnVisibility: ColumnVisibilityState = { select: true, ...Object.fromEntries(columns.map((c) => [c, state.cols.includes(c) || c === 'Username'])) };

  const table = useTable({
    features,
    columns: columnDefs,
    data: rows,
    rowCount: total,
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    state: { sorting, pagination, columnVisibility },
    getRowId: (row) => row.Username,
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (first) navigate({ sort: first.id, desc: first.desc, page: 1 });
    },
    onPaginationChange: (updater) => {
      const next = typeof updater === 'function' ? updater(pagination) : updater;
      navigate({ page: next.pageIndex + 1, size: next.pageSize });
    },
    onColumnVisibilityChange: (updater) => {
      const next = typeof updater === 'function' ? updater(columnVisibility) : updater;
      const cols = columns.filter((c) => next[c] !== false);
      navigate({ cols });
      void savePreferences({ TableColumns: { users: cols } });
    },
  });

  const pageCount = Math.max(1, Math.ceil(total / state.size));
  const from = total === 0 ? 0 : (state.page - 1) * state.size + 1;
  const to = Math.min(total, state.page * state.size);

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-3" aria-busy={navigating}>
      <div className="flex flex-wrap items-center gap-2">
        <div className="relative w-full max-w-xs">
          <Search className="pointer-events-none absolute start-2.5 top-2.5 size-4 text-muted-foreground" aria-hidden="true" />
          <Input aria-label={t('searchLabel')} placeholder={t('searchPlaceholder')} className="ps-8" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="ms-auto flex flex-wrap items-center justify-end gap-2">
          <label className="flex items-center gap-1.5 text-sm text-muted-foreground">
            <Rows3 className="size-4" aria-hidden="true" />
            <span className="sr-only">{t('density')}</span>
            <NativeSelect
              aria-label={t('density')}
              className="h-8 w-36 py-0"
              value={density}
              onChange={(e) => {
                const next = e.target.value as TDensity;
                setDensity(next);
                void savePreferences({ Density: next });
              }}
            >
              <option value="compact">{t('densityCompact')}</option>
              <option value="comfortable">{t('densityComfortable')}</option>
            </NativeSelect>
          </label>
          <Button size="sm" variant="ghost" asChild>
            <a href={`/users/export?${new URLSearchParams({ ...(state.q ? { q: state.q } : {}), sort: state.sort, ...(state.desc ? { desc: '1' } : {}) }).toString()}`} download>
              <Download /> {t('bulk.exportAll')}
            </a>
          </Button>
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="outline" size="sm">
                <Columns3 /> {t('columnsButton')}
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuLabel>{t('columnsLabel')}</DropdownMenuLabel>
              <DropdownMenuSeparator />
              {table
                .getAllLeafColumns()
                .filter((c) => c.getCanHide())
                .map((c) => (
                  <DropdownMenuCheckboxItem key={c.id} checked={c.getIsVisible()} onSelect={(e) => e.preventDefault()} onCheckedChange={(v) => c.toggleVisibility(v === true)}>
                    {t(`columns.${c.id as UserColumn}`)}
                  </DropdownMenuCheckboxItem>
                ))}
            </DropdownMenuContent>
          </DropdownMenu>
        </div>
      </div>
      <UsersBulkBar
        selected={[...selected]}
        policies={policies}
        onClear={() => {
          setSelected(new Set());
          setResults(new Map());
        }}
        onResults={(r) => setResults(new Map(r.map((x) => [x.username, x])))}
      />
      <div className={`rounded-lg border bg-card transition-opacity ${navigating ? 'opacity-60' : ''}`} data-density={density}>
        <Table className={compact ? 'text-xs' : undefined}>
          <THead>
            {table.getHeaderGroups().map((group) => (
              <TR key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const sortable = !UNSORTABLE.has(header.column.id);
                  const dir = header.column.getIsSorted();
                  return (
                    <TH key={header.id} className={`${compact ? 'h-8 px-2' : ''} ${header.column.id === 'select' ? 'w-8' : ''}`} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
                      {sortable ? (
                        <button type="button" className="inline-flex cursor-pointer items-center gap-1 uppercase hover:text-foreground" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          {dir === 'asc' ? <ArrowUp className="size-3" /> : dir === 'desc' ? <ArrowDown className="size-3" /> : <ArrowUpDown className="size-3 opacity-40" />}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </TH>
                  );
                })}
              </TR>
            ))}
          </THead>
          <TBody>
            {table.getRowModel().rows.length === 0 && (
              <TR>
                <TD colSpan={table.getVisibleLeafColumns().length} className="py-10 text-center text-muted-foreground">
                  {state.q ? t('noMatches', { query: state.q }) : t('empty')}
                </TD>
              </TR>
            )}
            {table.getRowModel().rows.map((row) => (
              <TR key={row.id} data-state={selected.has(row.id) ? 'selected' : undefined} data-user={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <TD key={cell.id} data-column={cell.column.id} className={compact ? 'h-5 max-w-72 px-2 py-0 leading-4' : 'max-w-80'}>
                    <table.FlexRender cell={cell} />
                  </TD>
                ))}
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
        <span data-testid="users-range">{t('range', { from, to, total })}</span>
        <div className="flex items-center gap-3">
          <label className="flex items-center gap-2">
            {t('rowsPerPage')}
            <NativeSelect
              aria-label={t('rowsPerPage')}
              className="h-8 w-24 py-0"
              value={state.size}
              onChange={(e) => {
                const size = Number(e.target.value);
                void savePreferences({ PageSize: size });
                table.setPagination({ pageIndex: 0, pageSize: size });
              }}
            >
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </NativeSelect>
          </label>
          <span>{t('pageOf', { page: state.page, pages: pageCount })}</span>
          <Button variant="outline" size="icon" className="size-8" aria-label={t('previousPage')} disabled={state.page <= 1} onClick={() => table.previousPage()}>
            <ChevronLeft className="rtl:rotate-180" />
          </Button>
          <Button variant="outline" size="icon" className="size-8" aria-label={t('nextPage')} disabled={state.page >= pageCount} onClick={() => table.nextPage()}>
            <ChevronRight className="rtl:rotate-180" />
          </Button>
        </div>
      </div>
    </div>
  );
}
