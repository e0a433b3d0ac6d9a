import { ArrowLeft } from 'lucide-react';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { REPORT_TYPE_KEY, type EmailOptionsWire } from '@/lib/adapters/console/email-reports';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { Card, CardContent } from '../../../../../components/ui/card';
import { PageHeader } from '../../../../../components/console/PageHeader';
import { EmailPreviewView } from '../../../../../components/console/settings/EmailPreviewView';
import type { EmailPreview } from '../actions';

export async function generateMetadata() {
  return { title: (await getTranslations('settings.email.preview'))('title') };
}

/** One stored admin report rendered as if it ran now (Halley's admin/meta/email-report/preview). */
export default async function EmailReportPreviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await requireAdmin();
  if (!settingsTabsFor(admin).includes('email')) notFound();
  const t = await getTranslations('settings.email');
  const sp = await searchParams;
  const tenants = await tenantOptions(admin, t('serverLevel'));
  const org = tenants && sp.org && tenants.some((o) => o.id === sp.org) ? sp.org : '';
  const target = org ? { TargetOrganization: org } : {};
  const options = await api<EmailOptionsWire>('/api/v1/admin/meta/email-options/get', target);
  const index = Number(sp.report);
  const report = Number.isInteger(index) && index >= 0 ? options.EmailReportingOptions?.[index] : undefined;
  if (!report) notFound();
  const preview = await api<EmailPreview>('/api/v1/admin/meta/email-report/preview', { EmailReportingOption: report, ...target });
  const back = `/settings/email${org ? `?org=${encodeURIComponent(org)}` : ''}`;
  const type = t(`types.${REPORT_TYPE_KEY[report.EmailReportConfig.ReportType] ?? 'summary'}`);
  return (
    <>
      <PageHeader title={t('preview.title')} description={t('preview.description', { type })} />
      <Link href={back} className="mb-4 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4 rtl:rotate-180" /> {t('preview.back')}
      </Link>
      <Card>
        <CardContent className="pt-5">
          <EmailPreviewView preview={preview} />
        </CardContent>
      </Card>
    </>
  );
}
