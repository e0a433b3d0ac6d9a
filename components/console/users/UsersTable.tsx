'use client';
// The users table (@tanstack/react-table v9): server-side paging, sorting and search; the URL holds the
// state (lib/adapters/console/table-state.ts). Rows per page and the column choice are also saved for the admin.
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
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Columns3, Search } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useMemo, useTransition } from 'react';
import { savePreferences } from '../../../app/(console)/actions';
import { PAGE_SIZES } from '@/lib/admins/page-sizes';
import { tableStateQuery, type TableUrlState } from '@/lib/adapters/console/table-state';
import type { UserRow } from '../../../lib/users/list-users-page';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from '../../ui/dropdown-menu';
import { Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { formatBytes } from '../format';
import { useUrlSearch } from '../use-url-search';
import type { UserColumn } from './columns';

const UNSORTABLE = new Set<string>(['Emails', 'Policy']);

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature, columnVisibilityFeature });
const helper = createColumnHelper<typeof features, UserRow>();

export function UsersTable({ rows, total, state, columns, policies }: { rows: UserRow[]; total: number; state: TableUrlState; columns: string[]; policies: Record<string, string> }) {
  const t = useTranslations('users');
  const format = useFormatter();
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNav] = useTransition();
  const navigate = (next: Partial<TableUrlState>, mode: 'push' | 'replace' = 'push') => {
    const url = `${pathname}?${tableStateQuery({ ...state, ...next })}`;
    startNav(() => (mode === 'push' ? router.push(url, { scroll: false }) : router.replace(url, { scroll: false })));
  };
  const [search, setSearch] = useUrlSearch(state.q, (q) => navigate({ q, page: 1 }, 'replace'));

  const columnDefs = useMemo(
    () =>
      helper.columns([
        helper.accessor('Username', {
          id: 'Username',
          header: () => t('columns.Username'),
          cell: (info) => (
            <Link className="font-medium text-primary hover:underline" href={`/users/${encodeURIComponent(info.getValue())}`}>
              {info.getValue()}
            </Link>
          ),
          enableHiding: false,
        }),
        helper.accessor('AccountName', { id: 'AccountName', header: () => t('columns.AccountName'), cell: (i) => i.getValue() || <span className="text-muted-foreground">—</span> }),
        helper.accessor('OrganizationName', { id: 'Organization', header: () => t('columns.Organization'), cell: (i) => (i.row.original.OrganizationID === '' ? t('topLevelOrganization') : i.getValue()) }),
        helper.accessor('Emails', { id: 'Emails', header: () => t('columns.Emails'), cell: (i) => i.getValue().join(', ') }),
        helper.accessor('Devices', { id: 'Devices', header: () => t('columns.Devices'), cell: (i) => <span className="tabular-nums">{i.getValue()}</span> }),
        helper.accessor('ProtectedItems', { id: 'ProtectedItems', header: () => t('columns.ProtectedItems'), cell: (i) => <span className="tabular-nums">{i.getValue()}</span> }),
        helper.accessor('StorageVaults', { id: 'StorageVaults', header: () => t('columns.StorageVaults'), cell: (i) => <span className="tabular-nums">{i.getValue()}</span> }),
        helper.accessor('QuotaBytes', {
          id: 'Quota',
          header: () => t('columns.Quota'),
          cell: (i) => (i.row.original.QuotaEnabled ? formatBytes(i.getValue()) : <span className="text-muted-foreground">{t('unlimited')}</span>),
        }),
        helper.accessor('PolicyID', { id: 'Policy', header: () => t('columns.Policy'), cell: (i) => (i.getValue() ? (policies[i.getValue()] ?? i.getValue()) : <span className="text-muted-foreground">—</span>) }),
        helper.accessor('IsSuspended', {
          id: 'Status',
          header: () => t('columns.Status'),
          cell: (i) => (i.getValue() ? <Badge variant="warning">{t('suspended')}</Badge> : <Badge variant="success">{t('active')}</Badge>),
        }),
        helper.accessor('CreateTime', {
          id: 'CreateTime',
          header: () => t('columns.CreateTime'),
          cell: (i) => (i.getValue() ? format.dateTime(new Date(i.getValue() * 1000), { dateStyle: 'medium' }) : '—'),
        }),
      ]).filter((c) => columns.includes(c.id as string)),
    [t, format, policies, columns],
  );

  const sorting: SortingState = [{ id: state.sort, desc: state.desc }];
  const pagination: PaginationState = { pageIndex: state.page - 1, pageSize: state.size };
  const columnVisibility: ColumnVisibilityState = Object.fromEntries(columns.map((c) => [c, state.cols.includes(c) || c === 'Username']));

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
          <Search className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-muted-foreground" aria-hidden="true" />
          <Input aria-label={t('searchLabel')} placeholder={t('searchPlaceholder')} className="pl-8" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="ml-auto flex items-center gap-2">
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
      <div className={`rounded-lg border bg-card transition-opacity ${navigating ? 'opacity-60' : ''}`}>
        <Table>
          <THead>
            {table.getHeaderGroups().map((group) => (
              <TR key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const sortable = !UNSORTABLE.has(header.column.id);
                  const dir = header.column.getIsSorted();
                  return (
                    <TH key={header.id} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
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
              <TR key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <TD key={cell.id}>
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
            <ChevronLeft />
          </Button>
          <Button variant="outline" size="icon" className="size-8" aria-label={t('nextPage')} disabled={state.page >= pageCount} onClick={() => table.nextPage()}>
            <ChevronRight />
          </Button>
        </div>
      </div>
    </div>
  );
}
