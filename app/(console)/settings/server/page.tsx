import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { env } from '@/lib/env';
import { can } from '@/lib/tenancy/permissions';
import { PageHeader } from '../../../../components/console/PageHeader';
import { ServiceControls } from '../../../../components/console/server/ServiceControls';
import { ServerConfigLinks } from '../../../../components/console/settings/ServerConfigLinks';
import { ServerConfigRawEditor } from '../../../../components/console/settings/ServerConfigRawEditor';
import { ServerSettingsForm } from '../../../../components/console/settings/ServerSettingsForm';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';

export async function generateMetadata() {
  return { title: (await getTranslations('serverOps.service'))('title') };
}

type Config = {
  SessionSettings?: { ExpiredInSeconds?: number };
  HalleyServerLogs?: { RetentionDays?: number };
  License?: { Email?: string; SerialNumber?: string };
};

/**
 * The raw editor's document: everything but Organizations, which server-config/set never changes (tenants are
 * edited on their own pages) and which would make the text grow with every tenant (megabytes at a few hundred).
 */
function rawConfigText(config: Record<string, unknown>): string {
  const { Organizations: _organizations, ...rest } = config;
  return JSON.stringify(rest, null, 2);
}

export default async function ServerPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('server')) notFound();
  const t = await getTranslations('settings');
  const settings = can(admin, 'server.settings');
  const [version, config] = await Promise.all([
    api<{ Version: string; VersionCodename: string; ServerStartTime: number }>('/api/v1/admin/meta/version'),
    settings ? api<Config & Record<string, unknown>>('/api/v1/admin/meta/server-config/get') : Promise.resolve(null),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <div className="grid gap-6">
        {config && (
          <ServerSettingsForm
            values={{
              sessionSeconds: config.SessionSettings?.ExpiredInSeconds ?? 0,
              defaultSessionSeconds: env().HALLEY_SESSION_TIMEOUT_SECONDS,
              logRetentionDays: config.HalleyServerLogs?.RetentionDays ?? env().HALLEY_LOG_RETENTION_DAYS,
              licenseEmail: config.License?.Email ?? '',
              licenseSerial: config.License?.SerialNumber ?? '',
            }}
          />
        )}
        {config && <ServerConfigLinks tabs={tabs} />}
        {config && <ServerConfigRawEditor json={rawConfigText(config)} />}
        {can(admin, 'server.shutdown') && <ServiceControls version={`${version.VersionCodename} (${version.Version})`} startedAt={version.ServerStartTime} />}
      </div>
    </>
  );
}
