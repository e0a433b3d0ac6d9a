'use client';
// Date range, grouping and (top level) organization of the Billing page: kept in the URL, so a report can be
// bookmarked and the server renders it; the export buttons download the same report as CSV or XLSX.
import { Download } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Field, Input, NativeSelect } from '../../ui/input';
import { GROUPS } from './types';

type BillingQuery = { from: string; to: string; group: string; org: string };

export function BillingFilters({ query, tenants }: { query: BillingQuery; tenants: Array<{ id: string; name: string }> | null }) {
  const t = useTranslations('billing');
  const router = useRouter();
  const [q, setQ] = useState(query);
  const [error, setError] = useState('');
  // The buttons work once React has hydrated the form: before that, a submit would navigate with the values the
  // server rendered, not the ones typed meanwhile (hydration keeps the controlled state).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const params = (extra: Record<string, string> = {}) => new URLSearchParams({ ...q, ...extra }).toString();
  const valid = () => {
    if (!q.from || !q.to || q.to < q.from) {
      setError(t('rangeInvalid'));
      return false;
    }
    setError('');
    return true;
  };
  return (
    <form
      className="mb-6 grid gap-4 rounded-lg border bg-card p-4 sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid()) router.push(`/billing?${params()}`);
      }}
    >
      <Field label={t('from')}>
        <Input type="date" name="from" value={q.from} onChange={(e) => setQ({ ...q, from: e.target.value })} required />
      </Field>
      <Field label={t('to')}>
        <Input type="date" name="to" value={q.to} onChange={(e) => setQ({ ...q, to: e.target.value })} required />
      </Field>
      <Field label={t('groupBy')}>
        <NativeSelect name="group" value={q.group} onChange={(e) => setQ({ ...q, group: e.target.value })}>
          {GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`groups.${g}`)}
            </option>
          ))}
        </NativeSelect>
      </Field>
      {tenants ? (
        <Field label={t('organization')}>
          <NativeSelect name="org" value={q.org} onChange={(e) => setQ({ ...q, org: e.target.value })}>
            <option value="">{t('allOrganizations')}</option>
            {tenants.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
      ) : (
        <div className="hidden lg:block" />
      )}
      <div className="flex items-end gap-2">
        <Button type="submit" disabled={!hydrated}>
          {t('apply')}
        </Button>
        {(['csv', 'xlsx'] as const).map((format) => (
          <Button key={format} type="button" variant="outline" disabled={!hydrated} onClick={() => valid() && (window.location.href = `/billing/export?${params({ format })}`)}>
            <Download aria-hidden="true" /> {t(`export.${format}`)}
          </Button>
        ))}
      </div>
      {error && (
        <Alert tone="error" className="sm:col-span-2 lg:col-span-5">
          {error}
        </Alert>
      )}
    </form>
  );
}
