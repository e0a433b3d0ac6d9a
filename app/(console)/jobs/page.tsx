import { getTranslations } from 'next-intl/server';
import { PAGE_SIZES } from '@/lib/admins/page-sizes';
import { decodeSearch } from '@/lib/adapters/console/job-search-url';
import { api, apiWithHeaders, requireAdmin, consolePreferences } from '@/lib/adapters/console/session';
import { SEARCH_FIELDS } from '@/lib/job-search/fields';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { can } from '../../../lib/tenancy/permissions';
import { NEXT_CURSOR_HEADER } from '../../../lib/api/reply';
import { AppError } from '../../../lib/errors';
import { JOB_COLUMNS, JOB_DEFAULT_COLUMNS } from '../../../components/console/jobs/columns';
import type { JobNames, JobRow } from '../../../components/console/jobs/job-codes';
import { JobsView } from '../../../components/console/jobs/JobsView';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('jobs'))('title') };
}

type Profile = { Devices?: Record<string, { FriendlyName?: string }> | null; Sources?: Record<string, { Description?: string }> | null; Destinations?: Record<string, { Description?: string }> | null };

/** Device, protected item and vault names of the users on this page (at most 50 users looked up). */
async function namesFor(jobs: JobRow[]): Promise<JobNames> {
  const users = [...new Set(jobs.map((j) => j.Username))].slice(0, 50);
  const out: JobNames = {};
  await Promise.all(
    users.map(async (u) => {
      try {
        const p = await api<Profile>('/api/v1/admin/get-user-profile', { TargetUser: u });
        const pick = <V,>(m: Record<string, V> | null | undefined, f: (v: V) => string | undefined) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, f(v) || k]));
        out[u] = { devices: pick(p.Devices, (d) => d.FriendlyName), items: pick(p.Sources, (s) => s.Description), vaults: pick(p.Destinations, (d) => d.Description) };
      } catch {
        // A user deleted since the job ran: its ids are shown instead of names.
      }
    }),
  );
  return out;
}

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await requireAdmin();
  const t = await getTranslations('jobs');
  const tenants = await tenantOptions(admin, t('topLevel'));
  const [sp, prefs, groups] = await Promise.all([
    searchParams,
    consolePreferences(),
    api<Record<string, string>>('/api/v1/admin/user-groups/list').catch(() => ({}) as Record<string, string>),
  ]);
  const query = decodeSearch(sp.q);
  const sizeRaw = Number(sp.size);
  const size = (PAGE_SIZES as readonly number[]).includes(sizeRaw) ? sizeRaw : (prefs.PageSize ?? 25);
  const colsFromUrl = sp.cols?.split(',').filter((c) => (JOB_COLUMNS as readonly string[]).includes(c));
  const cols = colsFromUrl?.length ? colsFromUrl : (prefs.TableColumns?.jobs?.Columns ?? JOB_DEFAULT_COLUMNS);
  let jobs: JobRow[] = [];
  let next: string | undefined;
  let count = 0;
  let error = '';
  try {
    const [page, total] = await Promise.all([
      apiWithHeaders<JobRow[]>('/api/v1/admin/get-jobs-for-custom-search', { Query: query, Limit: size, Cursor: sp.after || undefined, NewestFirst: true }),
      api<{ Count: number }>('/api/v1/admin/count-jobs-for-custom-search', { Query: query }),
    ]);
    jobs = page.data;
    next = page.headers[NEXT_CURSOR_HEADER];
    count = total.Count;
  } catch (err) {
    // A search that can't run (bad regex, a value of the wrong kind) is explained above the builder.
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    error = err.message;
  }
  const fields = Object.entries(SEARCH_FIELDS).map(([name, f]) => ({ name, kind: f.kind }));
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <JobsView
        query={query}
        fields={fields}
        jobs={jobs}
        names={await namesFor(jobs)}
        count={count}
        error={error}
        state={{ q: sp.q ?? '', after: sp.after ?? '', trail: sp.trail ?? '', size, cols }}
        next={next}
        saved={prefs.SavedJobSearches ?? {}}
        tenants={tenants}
        canEmail={can(admin, 'email.edit')}
        groups={groups}
      />
    </>
  );
}
