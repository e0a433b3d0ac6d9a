'use client';
// Job history: the search builder (with a live count and saved searches) above the job table. The URL
// holds the applied search, the page position (keyset cursors), rows per page and columns.
import {
  columnVisibilityFeature,
  createColumnHelper,
  tableFeatures,
  useTable,
  type ColumnVisibilityState,
} from '@tanstack/react-table';
import { ChevronLeft, ChevronRight, Columns3, History, Mail, Save, Search, Star } from 'lucide-react';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, useTransition } from 'react';
import { countJobs, saveJobColumns, saveSearch } from '../../../app/(console)/jobs/actions';
import { PAGE_SIZES } from '@/lib/admins/page-sizes';
import { languageCodeFor, weeklySummary, type ReportOption } from '@/lib/adapters/console/email-reports';
import { decodeSearch, EMPTY_SEARCH, encodeSearch, failedBackupsLastDays, type SearchClause } from '@/lib/adapters/console/job-search-url';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent } from '../../ui/card';
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from '../../ui/dropdown-menu';
import { Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { useAdvanced } from '../ConsoleProviders';
import { useFormat } from '../format';
import { adminReportActions, ReportEditor } from '../settings/ReportEditor';
import { useApiAction } from '../use-api-action';
import { JOB_COLUMNS, type JobColumn } from './columns';
import { statusTone, type JobNames, type JobRow } from './job-codes';
import { clauseOf, QueryBuilder, rootFrom, type FieldInfo } from './QueryBuilder';
import { useQuerySummary } from './query-summary';

type UrlState = { q: string; after: string; trail: string; size: number; cols: string[] };

// The last searches applied in this browser (encoded like the URL's `q`), newest first.
const RECENT_KEY = 'halley.jobs.recentSearches';
const RECENT_MAX = 8;
function readRecent(): string[] {
  try {
    const v = JSON.parse(window.localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}
function rememberRecent(q: string): void {
  try {
    window.localStorage.setItem(RECENT_KEY, JSON.stringify([q, ...readRecent().filter((x) => x !== q)].slice(0, RECENT_MAX)));
  } catch {
    // Storage may be off (private mode): recent searches are a convenience.
  }
}

const features = tableFeatures({ columnVisibilityFeature });
const helper = createColumnHelper<typeof features, JobRow>();


export function JobsView(props: {
  query: SearchClause;
  fields: FieldInfo[];
  jobs: JobRow[];
  names: JobNames;
  count: number;
  error: string;
  state: UrlState;
  next?: string;
  saved: Record<string, unknown>;
  /** Top-level admins: the tenants, for the organization rule and the report's organization. */
  tenants: TenantOption[] | null;
  /** May create email reports (AllowEditEmailOptions). */
  canEmail: boolean;
  /** User groups the admin may see (ID -> name), for the summary and the group rule. */
  groups: Record<string, string>;
}) {
  const t = useTranslations('jobs');
  const locale = useLocale();
  const [emailing, setEmailing] = useState<ReportOption | null>(null);
  const [emailed, setEmailed] = useState<string | null>(null);
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNav] = useTransition();
  const [draft, setDraft] = useState(() => rootFrom(props.query));
  const [preview, setPreview] = useState<number | null>(null);
  const [previewError, setPreviewError] = useState('');
  const [saveName, setSaveName] = useState('');
  const save = useApiAction();
  const summarize = useQuerySummary(props.fields, { tenants: props.tenants, groups: props.groups });
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => setRecent(readRecent().filter((q) => q !== encodeSearch(EMPTY_SEARCH))), [props.query]);

  // The builder follows the URL when it changes from outside (back button, saved search).
  useEffect(() => setDraft(rootFrom(props.query)), [props.query]);

  const draftClause = useMemo(() => clauseOf(draft), [draft]);
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      // The preview is fired by a timer: the admin may have navigated away meanwhile, and an action sent
      // while the page is being replaced fails. A preview never throws into the page.
      const res = await countJobs(draftClause).catch((err: unknown) => ({ ok: false as const, message: err instanceof Error ? err.message : String(err) }));
      if (cancelled) return;
      if (res.ok) {
        setPreview(res.data.Count);
        setPreviewError('');
      } else {
        setPreview(null);
        setPreviewError(res.message);
      }
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [draftClause]);

  const go = (patch: Partial<UrlState>) => {
    const s = { ...props.state, ...patch };
    const params = new URLSearchParams();
    if (s.q) params.set('q', s.q);
    if (s.after) params.set('after', s.after);
    if (s.trail) params.set('trail', s.trail);
    params.set('size', String(s.size));
    params.set('cols', s.cols.join(','));
    startNav(() => router.push(`${pathname}?${params.toString()}`, { scroll: false }));
  };
  const apply = (clause: SearchClause) => {
    const q = encodeSearch(clause);
    if (clause.ClauseType !== 'and' || (clause.ClauseChildren ?? []).length) rememberRecent(q);
    go({ q, after: '', trail: '' });
  };

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
      <Card>
        <CardContent className="grid gap-3 pt-5">
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-sm font-medium">{t('searchTitle')}</span>
            <Button type="button" variant="outline" size="sm" onClick={() => apply(failedBackupsLastDays(7))}>
              {t('presetFailed')}
            </Button>
            {Object.keys(props.saved).length > 0 && (
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button type="button" variant="outline" size="sm">
                    <Star /> {t('savedSearches')}
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent>
                  {Object.entries(props.saved).map(([name, clause]) => (
                    <DropdownMenuItem key={name} onSelect={() => apply(clause as SearchClause)}>
                      {name}
                    </DropdownMenuItem>
                  ))}
                </DropdownMenuContent>
              </DropdownMenu>
            )}
            {recent.length > 0 && (
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button type="button" variant="outline" size="sm">
                    <History /> {t('recentSearches')}
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent className="max-w-[min(36rem,90vw)]">
                  {recent.map((q) => (
                    <DropdownMenuItem key={q} onSelect={() => apply(decodeSearch(q))} className="whitespace-normal">
                      {summarize(decodeSearch(q))}
                    </DropdownMenuItem>
                  ))}
                </DropdownMenuContent>
              </DropdownMenu>
            )}
          </div>
          <p className="text-sm" data-testid="query-summary">
            {summarize(draftClause)}
          </p>
          <QueryBuilder root={draft} onChange={setDraft} fields={props.fields} tenants={props.tenants} />
          <div className="flex flex-wrap items-center gap-2">
            <Button type="button" onClick={() => apply(draftClause)} disabled={navigating}>
              <Search /> {t('apply')}
            </Button>
            <Button type="button" variant="outline" onClick={() => apply(EMPTY_SEARCH)}>
              {t('reset')}
            </Button>
            <span className="text-sm text-muted-foreground" data-testid="preview-count" aria-live="polite">
              {previewError ? <span className="text-destructive">{previewError}</span> : preview === null ? '…' : t('matches', { count: preview })}
            </span>
            {props.canEmail && (
              <Button
                type="button"
                variant="outline"
                className="ms-auto"
                onClick={() => {
                  setEmailed(null);
                  setEmailing(weeklySummary(draftClause, languageCodeFor(locale), Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'));
                }}
              >
                <Mail /> {t('emailSearch')}
              </Button>
            )}
            <form
              className={props.canEmail ? 'flex items-center gap-2' : 'ms-auto flex items-center gap-2'}
              onSubmit={(e) => {
                e.preventDefault();
                const name = saveName.trim();
                if (!name) return;
                save.run(
                  () => saveSearch(name, draftClause),
                  () => {
                    setSaveName('');
                    router.refresh();
                  },
                );
              }}
            >
              <Input aria-label={t('saveName')} placeholder={t('saveName')} className="h-8 w-48" value={saveName} onChange={(e) => setSaveName(e.target.value)} maxLength={100} />
              <Button type="submit" variant="outline" size="sm" disabled={save.pending || !saveName.trim()}>
                <Save /> {t('save')}
              </Button>
            </form>
          </div>
          {save.error && <Alert tone="error">{save.error}</Alert>}
          {emailed !== null && (
            <p className="text-sm text-success" role="status">
              {t('emailSaved')}{' '}
              <Link className="underline" href={`/settings/email${emailed ? `?org=${encodeURIComponent(emailed)}` : ''}`}>
                {t('emailSavedLink')}
              </Link>
            </p>
          )}
        </CardContent>
      </Card>
      {emailing && (
        <ReportEditor
          org=""
          orgChoices={props.tenants}
          initial={emailing}
          actions={adminReportActions(-1, null, '')}
          fields={props.fields}
          tenants={props.tenants}
          title={t('emailSearchTitle')}
          onClose={() => setEmailing(null)}
          onSaved={(org) => {
            setEmailing(null);
            setEmailed(org);
          }}
        />
      )}
      {props.error ? (
        <Alert tone="error" data-testid="search-error">
          {props.error}
        </Alert>
      ) : (
        <JobsTable {...props} navigating={navigating} go={go} />
      )}
    </div>
  );
}

const jobHref = (guid: string) => `/jobs/${encodeURIComponent(guid)}`;

function JobsTable({ jobs, names, count, state, next, navigating, go }: { jobs: JobRow[]; names: JobNames; count: number; state: UrlState; next?: string; navigating: boolean; go: (p: Partial<UrlState>) => void }) {
  const t = useTranslations('jobs');
  const router = useRouter();
  const fmt = useFormat();
  const advanced = useAdvanced();
  const visibleCols = advanced ? state.cols : state.cols.filter((c) => c !== 'JobID');
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('Status', {
          id: 'Status',
          header: () => t('columns.Status'),
          cell: (i) => (
            <Link href={jobHref(i.row.original.GUID)}>
              <Badge variant={statusTone(i.getValue())}>{fmt.jobStatus(i.getValue())}</Badge>
            </Link>
          ),
        }),
        helper.accessor('Classification', { id: 'Type', header: () => t('columns.Type'), cell: (i) => fmt.jobClassification(i.getValue()) }),
        helper.accessor('Username', {
          id: 'User',
          header: () => t('columns.User'),
          cell: (i) => (
            <Link className="whitespace-nowrap text-primary hover:underline" href={`/users/${encodeURIComponent(i.getValue())}`}>
              {i.getValue()}
            </Link>
          ),
        }),
        helper.accessor('DeviceID', { id: 'Device', header: () => t('columns.Device'), cell: (i) => <span className="whitespace-nowrap">{names[i.row.original.Username]?.devices[i.getValue()] ?? i.getValue()}</span> }),
        helper.accessor('SourceGUID', { id: 'Item', header: () => t('columns.Item'), cell: (i) => names[i.row.original.Username]?.items[i.getValue()] ?? i.getValue() }),
        helper.accessor('DestinationGUID', { id: 'Vault', header: () => t('columns.Vault'), cell: (i) => names[i.row.original.Username]?.vaults[i.getValue()] ?? i.getValue() }),
        helper.accessor('StartTime', { id: 'Started', header: () => t('columns.Started'), cell: (i) => <span className="whitespace-nowrap">{fmt.dateTime(i.getValue())}</span> }),
        helper.accessor((r) => (r.EndTime ? r.EndTime - r.StartTime : 0), { id: 'Duration', header: () => t('columns.Duration'), cell: (i) => (i.row.original.EndTime ? fmt.duration(i.getValue()) : t('running')) }),
        helper.accessor('TotalFiles', { id: 'Files', header: () => t('columns.Files'), cell: (i) => <span className="tabular-nums">{fmt.count(i.getValue())}</span> }),
        helper.accessor('TotalSize', { id: 'Size', header: () => t('columns.Size'), cell: (i) => <span className="whitespace-nowrap tabular-nums">{fmt.bytes(i.getValue())}</span> }),
        helper.accessor('UploadSize', { id: 'Uploaded', header: () => t('columns.Uploaded'), cell: (i) => <span className="whitespace-nowrap tabular-nums">{fmt.bytes(i.getValue())}</span> }),
        helper.accessor('DownloadSize', { id: 'Downloaded', header: () => t('columns.Downloaded'), cell: (i) => <span className="whitespace-nowrap tabular-nums">{fmt.bytes(i.getValue())}</span> }),
        helper.accessor('GUID', { id: 'JobID', header: () => t('columns.JobID'), cell: (i) => <code className="text-xs">{i.getValue()}</code> }),
      ]),
    [t, fmt, names],
  );
  const columnVisibility: ColumnVisibilityState = Object.fromEntries(JOB_COLUMNS.map((c) => [c, visibleCols.includes(c)]));
  const table = useTable({
    features,
    columns,
    data: jobs,
    getRowId: (r) => r.GUID,
    state: { columnVisibility },
    onColumnVisibilityChange: (updater) => {
      const nextVis = typeof updater === 'function' ? updater(columnVisibility) : updater;
      const cols = JOB_COLUMNS.filter((c) => nextVis[c] !== false);
      go({ cols });
      void saveJobColumns(cols);
    },
  });
  const trail = state.trail ? state.trail.split('.') : [];
  const pageNo = trail.length + 1;
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-3" aria-busy={navigating}>
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm text-muted-foreground" data-testid="jobs-count">
          {t('total', { count })}
        </span>
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
              .filter((c) => advanced || c.id !== 'JobID')
              .map((c) => (
                <DropdownMenuCheckboxItem key={c.id} checked={c.getIsVisible()} onSelect={(e) => e.preventDefault()} onCheckedChange={(v) => c.toggleVisibility(v === true)}>
                  {t(`columns.${c.id as JobColumn}`)}
                </DropdownMenuCheckboxItem>
              ))}
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
      <div className={`rounded-lg border bg-card transition-opacity ${navigating ? 'opacity-60' : ''}`}>
        <Table>
          <THead>
            {table.getHeaderGroups().map((g) => (
              <TR key={g.id} className="hover:bg-transparent">
                {g.headers.map((h) => (
                  <TH key={h.id}>
                    <table.FlexRender header={h} />
                  </TH>
                ))}
              </TR>
            ))}
          </THead>
          <TBody>
            {jobs.length === 0 && (
              <TR>
                <TD colSpan={table.getVisibleLeafColumns().length} className="py-10 text-center text-muted-foreground">
                  {t('empty')}
                </TD>
              </TR>
            )}
            {table.getRowModel().rows.map((row) => (
              <TR
                key={row.id}
                data-testid="job-row"
                data-job-id={row.original.GUID}
                className="cursor-pointer"
                // The whole row opens the job; the status badge stays the keyboard's link. A click on another
                // link (the user) or after selecting text (copying an id) is left alone.
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a, button, input, select') || window.getSelection()?.toString()) return;
                  if (e.ctrlKey || e.metaKey) window.open(jobHref(row.original.GUID), '_blank');
                  else router.push(jobHref(row.original.GUID));
                }}
              >
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
      <div className="flex flex-wrap items-center justify-end gap-3 text-sm text-muted-foreground">
        <label className="flex items-center gap-2">
          {t('rowsPerPage')}
          <NativeSelect
            aria-label={t('rowsPerPage')}
            className="h-8 w-24 py-0"
            value={state.size}
            onChange={(e) => {
              const size = Number(e.target.value);
              void saveJobColumns(state.cols, size);
              go({ size, after: '', trail: '' });
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </NativeSelect>
        </label>
        <span>{t('page', { page: pageNo })}</span>
        <Button
          variant="outline"
          size="icon"
          className="size-8"
          aria-label={t('previousPage')}
          disabled={pageNo <= 1}
          onClick={() => {
            const prev = [...trail];
            const after = prev.pop() ?? '';
            go({ after: after === '-' ? '' : after, trail: prev.join('.') });
          }}
        >
          <ChevronLeft className="rtl:rotate-180" />
        </Button>
        <Button variant="outline" size="icon" className="size-8" aria-label={t('nextPage')} disabled={!next} onClick={() => go({ after: next, trail: [...trail, state.after || '-'].join('.') })}>
          <ChevronRight className="rtl:rotate-180" />
        </Button>
      </div>
    </div>
  );
}
