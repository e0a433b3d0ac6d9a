'use client';
// A user's detail: profile (edited through set-user-profile-hash with a conflict check), devices,
// storage vaults, protected items and schedules from the profile, and the account actions.
import { useFormatter, useTranslations } from 'next-intl';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { revokeDevice, saveProfile, type ProfilePatch } from '../../../app/(console)/users/actions';
import { SCHEDULE_FREQUENCY } from '../../../lib/comet/constants';
import { REPORT_LANGUAGES } from '../../../lib/adapters/console/email-reports';
import { useLanguageName } from '../language-name';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input, NativeSelect, Textarea } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../../ui/tabs';
import type { FieldInfo } from '../jobs/QueryBuilder';
import { UserEmailReports, type EmailReportProfile } from './UserEmailReports';
import { useAdvanced } from '../ConsoleProviders';
import { formatPlatform, useFormat } from '../format';
import { useApiAction } from '../use-api-action';
import { UserActions } from './UserActions';
import { VaultCharts, type JobPoint } from './VaultCharts';
import { ActionsLabel, BackupConfigToolbar, EntryActions, useBackupEditors, type BackupEditors } from './backup-config/BackupConfigEditors';
import { SnapshotBrowserButton } from '../snapshots/SnapshotBrowser';
import { useDirtyForm } from '../use-unsaved-warning';
import { TimeZonePicker } from '../TimeZonePicker';
import { clearFlags, FieldError, FieldErrorsProvider, fieldForError, flagField } from '../field-errors';

/** The profile inputs that show the server's refusal of their value next to them (catalogue keys, lib/validation/check-field.ts). */
const PROFILE_FIELD_ERRORS = { Emails: ['fieldNotEmail'], LocalTimezone: ['fieldNotTimeZone'] } as const;

type Device = { FriendlyName?: string; RegistrationTime?: number; ClientVersion?: string; DeviceTimezone?: string; PlatformVersion?: { distribution?: string; os?: string; arch?: string } };
type Vault = { Description?: string; DestinationType?: number; CreateTime?: number; StorageLimitEnabled?: boolean; StorageLimitBytes?: number; Statistics?: { ClientProvidedSize?: { Size?: number } } };
type Item = { Description?: string; Engine?: string; OwnerDevice?: string; CreateTime?: number; Statistics?: { LastBackupJob?: { Status?: number; EndTime?: number } } };
type Rule = { Description?: string; Source?: string; Destination?: string; Schedules?: Array<{ FrequencyType?: number; SecondsPast?: number; RandomDelaySecs?: number }> };
type ProfilePolicy = { RandomDelaySecs?: number };

export type UserProfile = {
  Username: string;
  AccountName?: string;
  OrganizationID?: string;
  Emails?: string[] | null;
  LanguageCode?: string;
  LocalTimezone?: string;
  PolicyID?: string;
  IsSuspended?: boolean;
  AllProtectedItemsQuotaEnabled?: boolean;
  AllProtectedItemsQuotaBytes?: number;
  MaximumDevices?: number;
  SendEmailReports?: boolean;
  OverrideEmailSettings?: EmailReportProfile['OverrideEmailSettings'];
  Policy?: EmailReportProfile['Policy'] & ProfilePolicy;
  ServerConfig?: { RandomDelaySecs?: number } | null;
  Devices?: Record<string, Device> | null;
  Destinations?: Record<string, Vault> | null;
  Sources?: Record<string, Item> | null;
  BackupRules?: Record<string, Rule> | null;
  CreateTime?: number;
};

const GIB = 1024 ** 3;
const FREQ_KEYS: Record<number, 'once' | 'daily' | 'hourly' | 'weekly' | 'monthly' | 'periodic' | 'yearly'> = {
  [SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_ONCEONLY]: 'once',
  [SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_DAILY]: 'daily',
  [SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_HOURLY]: 'hourly',
  [SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_WEEKLY]: 'weekly',
  [SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_MONTHLY]: 'monthly',
  [SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_PERIODIC]: 'periodic',
  [SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_YEARLY]: 'yearly',
};
const TABS = ['profile', 'devices', 'vaults', 'items', 'schedules', 'reports'] as const;

export function UserDetail(props: { username: string; profile: UserProfile; hash: string; sealed: Record<string, string[]>; policies: Record<string, string>; tenants: Array<{ id: string; name: string }> | null; initialTab: string; jobPoints: JobPoint[]; fields: FieldInfo[] }) {
  const t = useTranslations('userDetail');
  const router = useRouter();
  const pathname = usePathname();
  const tab = (TABS as readonly string[]).includes(props.initialTab) ? props.initialTab : 'profile';
  const p = props.profile;
  const count = (m: Record<string, unknown> | null | undefined) => Object.keys(m ?? {}).length;
  const editors = useBackupEditors({ username: props.username, hash: props.hash, profile: p, sealed: props.sealed });
  return (
    <>
    {editors.dialog}
    <Tabs value={tab} onValueChange={(v) => router.replace(`${pathname}?tab=${v}`, { scroll: false })}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <TabsList>
          <TabsTrigger value="profile">{t('tabs.profile')}</TabsTrigger>
          <TabsTrigger value="devices">{t('tabs.devices', { count: count(p.Devices) })}</TabsTrigger>
          <TabsTrigger value="vaults">{t('tabs.vaults', { count: count(p.Destinations) })}</TabsTrigger>
          <TabsTrigger value="items">{t('tabs.items', { count: count(p.Sources) })}</TabsTrigger>
          <TabsTrigger value="schedules">{t('tabs.schedules', { count: count(p.BackupRules) })}</TabsTrigger>
          <TabsTrigger value="reports">{t('tabs.reports')}</TabsTrigger>
        </TabsList>
        <UserActions username={props.username} tenants={props.tenants} currentOrganization={p.OrganizationID ?? ''} deviceCount={count(p.Devices)} />
      </div>
      <TabsContent value="profile">
        <ProfileForm {...props} />
      </TabsContent>
      <TabsContent value="devices">
        <DevicesTab username={props.username} devices={p.Devices ?? {}} />
      </TabsContent>
      <TabsContent value="vaults">
        <div className="grid gap-4">
          <BackupConfigToolbar editors={editors} section="Destinations" />
          <VaultsTab vaults={p.Destinations ?? {}} editors={editors} />
          <VaultCharts points={props.jobPoints} vaultNames={Object.fromEntries(Object.entries(p.Destinations ?? {}).map(([id, v]) => [id, v.Description || id]))} />
        </div>
      </TabsContent>
      <TabsContent value="items">
        <div className="grid gap-4">
          <BackupConfigToolbar editors={editors} section="Sources" />
          <ItemsTab items={p.Sources ?? {}} devices={p.Devices ?? {}} editors={editors} />
        </div>
      </TabsContent>
      <TabsContent value="schedules">
        <div className="grid gap-4">
          <BackupConfigToolbar editors={editors} section="BackupRules" />
          <SchedulesTab rules={p.BackupRules ?? {}} items={p.Sources ?? {}} vaults={p.Destinations ?? {}} editors={editors} />
        </div>
      </TabsContent>
      <TabsContent value="reports">
        <UserEmailReports username={props.username} profile={p} fields={props.fields} />
      </TabsContent>
    </Tabs>
    </>
  );
}

function ProfileForm({ username, profile, hash, policies }: { username: string; profile: UserProfile; hash: string; policies: Record<string, string>; [k: string]: unknown }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('userDetail.profile');
  const tc = useTranslations('common');
  const router = useRouter();
  const { run, pending, error, errorKey } = useApiAction();
  const tr = useTranslations('fieldRules');
  const languageName = useLanguageName();
  const formRef = useRef<HTMLFormElement>(null);
  // A refused email address or time zone is shown next to its input, in words about the field (not the API's).
  const errorField = error ? fieldForError(errorKey, PROFILE_FIELD_ERRORS) : undefined;
  useEffect(() => {
    clearFlags(formRef.current);
    if (errorField) flagField(formRef.current, errorField);
  }, [errorField, error]);
  const [conflict, setConflict] = useState(false);
  const [saved, setSaved] = useState(false);
  const [quotaOn, setQuotaOn] = useState(profile.AllProtectedItemsQuotaEnabled ?? false);
  return (
    <form
      onChange={unsaved.markDirty}
      ref={formRef}
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const patch: ProfilePatch = {
          AccountName: String(f.get('AccountName') ?? ''),
          Emails: String(f.get('Emails') ?? '')
            .split(/[\s,;]+/)
            .map((s) => s.trim())
            .filter(Boolean),
          LanguageCode: String(f.get('LanguageCode') ?? ''),
          LocalTimezone: String(f.get('LocalTimezone') ?? ''),
          PolicyID: String(f.get('PolicyID') ?? ''),
          IsSuspended: f.get('IsSuspended') === 'on',
          SendEmailReports: f.get('SendEmailReports') === 'on',
          AllProtectedItemsQuotaEnabled: f.get('QuotaEnabled') === 'on',
          AllProtectedItemsQuotaBytes: Math.round(Number(f.get('QuotaGiB') ?? 0) * GIB),
          MaximumDevices: Number(f.get('MaximumDevices') ?? 0),
        };
        setSaved(false);
        setConflict(false);
        run<{ hash: string } | null>(
          async () => {
            const res = await saveProfile(username, hash, patch);
            if (!res.ok && res.status === 409) {
              setConflict(true);
              return { ok: true as const, data: null };
            }
            return res;
          },
          (data) => {
            if (data) {
              unsaved.markClean();
              setSaved(true);
              router.refresh();
            }
          },
        );
      }}
    >
      <FieldErrorsProvider errors={errorField ? { [errorField]: tr(errorField === 'Emails' ? 'email' : 'timeZone') } : {}}>
        {conflict && (
          <Alert tone="warning" data-testid="profile-conflict">
            <p className="font-medium">{t('conflictTitle')}</p>
            <p>{t('conflictText')}</p>
            <Button type="button" variant="outline" size="sm" className="mt-2" onClick={() => window.location.reload()}>
              {t('reload')}
            </Button>
          </Alert>
        )}
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>{t('accountTitle')}</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Field label={t('accountName')}>
                <Input name="AccountName" defaultValue={profile.AccountName ?? ''} />
              </Field>
              <Field label={t('emails')} hint={t('emailsHint')} error={<FieldError name="Emails" />}>
                <Textarea name="Emails" rows={2} defaultValue={(profile.Emails ?? []).join('\n')} />
              </Field>
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label={t('language')}>
                  <NativeSelect name="LanguageCode" defaultValue={profile.LanguageCode ?? ''}>
                    <option value="">{t('languageDefault')}</option>
                    {/* Comet's codes (en_US, de_DE, …) named in the console's language; a code set elsewhere stays choosable. */}
                    {[...REPORT_LANGUAGES.map((l) => l.code), ...(profile.LanguageCode && !REPORT_LANGUAGES.some((l) => l.code === profile.LanguageCode) ? [profile.LanguageCode] : [])].map((code) => (
                      <option key={code} value={code}>
                        {languageName(code)}
                      </option>
                    ))}
                  </NativeSelect>
                </Field>
                <Field label={t('timezone')} error={<FieldError name="LocalTimezone" />}>
                  <TimeZonePicker name="LocalTimezone" defaultValue={profile.LocalTimezone ?? ''} aria-label={t('timezone')} />
                </Field>
              </div>
              <label className="flex items-center gap-2 text-sm">
                <Checkbox name="SendEmailReports" defaultChecked={profile.SendEmailReports ?? false} /> {t('sendEmailReports')}
              </label>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{t('limitsTitle')}</CardTitle>
              <CardDescription>{t('limitsDescription')}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Field label={t('policy')}>
                <NativeSelect name="PolicyID" defaultValue={profile.PolicyID ?? ''}>
                  <option value="">{t('noPolicy')}</option>
                  {Object.entries(policies).map(([id, name]) => (
                    <option key={id} value={id}>
                      {name || id}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
              <label className="flex items-center gap-2 text-sm">
                <Checkbox name="QuotaEnabled" checked={quotaOn} onChange={(e) => setQuotaOn(e.target.checked)} /> {t('quotaEnabled')}
              </label>
              <Field label={t('quotaGiB')}>
                <Input name="QuotaGiB" type="number" min={0} step="0.1" disabled={!quotaOn} defaultValue={((profile.AllProtectedItemsQuotaBytes ?? 0) / GIB).toString()} />
              </Field>
              <Field label={t('maximumDevices')} hint={t('maximumDevicesHint')}>
                <Input name="MaximumDevices" type="number" min={0} step={1} defaultValue={profile.MaximumDevices ?? 0} />
              </Field>
              <label className="flex items-center gap-2 text-sm">
                <Checkbox name="IsSuspended" defaultChecked={profile.IsSuspended ?? false} /> {t('suspended')}
              </label>
            </CardContent>
          </Card>
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? tc('saving') : tc('save')}
          </Button>
          {saved && (
            <span role="status" className="text-sm text-success">
              {tc('saved')}
            </span>
          )}
          {error && !errorField && <Alert tone="error">{error}</Alert>}
        </div>
      </FieldErrorsProvider>
    </form>
  );
}

function Empty({ text }: { text: string }) {
  return <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">{text}</p>;
}

function DevicesTab({ username, devices }: { username: string; devices: Record<string, Device> }) {
  const t = useTranslations('userDetail.devices');
  const format = useFormatter();
  const advanced = useAdvanced();
  const entries = Object.entries(devices);
  if (entries.length === 0) return <Empty text={t('empty')} />;
  return (
    <div className="rounded-lg border bg-card">
      <Table>
        <THead>
          <TR>
            <TH>{t('name')}</TH>
            {advanced && <TH>{t('id')}</TH>}
            <TH>{t('platform')}</TH>
            <TH>{t('version')}</TH>
            <TH>{t('registered')}</TH>
            <TH className="text-end">{t('actions')}</TH>
          </TR>
        </THead>
        <TBody>
          {entries.map(([id, d]) => (
            <TR key={id} id={`device-${id}`}>
              <TD className="font-medium">{d.FriendlyName || id}</TD>
              {advanced && (
                <TD>
                  <code>{id}</code>
                </TD>
              )}
              <TD>{formatPlatform(d.PlatformVersion) || '—'}</TD>
              <TD>{d.ClientVersion || '—'}</TD>
              <TD>{d.RegistrationTime ? format.dateTime(new Date(d.RegistrationTime * 1000), { dateStyle: 'medium', timeStyle: 'short' }) : '—'}</TD>
              <TD className="text-end">
                <SnapshotBrowserButton username={username} deviceId={id} name={d.FriendlyName || id} /> <RevokeDeviceButton username={username} deviceId={id} name={d.FriendlyName || id} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

function RevokeDeviceButton({ username, deviceId, name }: { username: string; deviceId: string; name: string }) {
  const t = useTranslations('userDetail.devices');
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-destructive">{error}</span>}
      <Button
        variant="outline"
        size="sm"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(t('revokeConfirm', { name }))) return;
          run(
            () => revokeDevice(username, deviceId),
            () => router.refresh(),
          );
        }}
      >
        {t('revoke')}
      </Button>
    </span>
  );
}

function VaultsTab({ vaults, editors }: { vaults: Record<string, Vault>; editors: BackupEditors }) {
  const t = useTranslations('userDetail.vaults');
  const fmt = useFormat();
  const advanced = useAdvanced();
  const entries = Object.entries(vaults);
  if (entries.length === 0) return <Empty text={t('empty')} />;
  return (
    <div className="rounded-lg border bg-card">
      <Table>
        <THead>
          <TR>
            <TH>{t('name')}</TH>
            {advanced && <TH>{t('id')}</TH>}
            <TH>{t('type')}</TH>
            <TH>{t('size')}</TH>
            <TH>{t('limit')}</TH>
            <TH className="text-end">
              <ActionsLabel />
            </TH>
          </TR>
        </THead>
        <TBody>
          {entries.map(([id, v]) => (
            <TR key={id} id={`vault-${id}`}>
              <TD className="font-medium">{v.Description || id}</TD>
              {advanced && (
                <TD>
                  <code>{id}</code>
                </TD>
              )}
              <TD>
                <Badge variant="secondary">{fmt.vaultType(v.DestinationType)}</Badge>
              </TD>
              <TD className="tabular-nums">{fmt.bytes(v.Statistics?.ClientProvidedSize?.Size ?? 0)}</TD>
              <TD>{v.StorageLimitEnabled ? fmt.bytes(v.StorageLimitBytes ?? 0) : t('unlimited')}</TD>
              <TD className="text-end">
                <EntryActions editors={editors} section="Destinations" id={id} name={v.Description || id} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

function ItemsTab({ items, devices, editors }: { items: Record<string, Item>; devices: Record<string, Device>; editors: BackupEditors }) {
  const t = useTranslations('userDetail.items');
  const fmt = useFormat();
  const advanced = useAdvanced();
  const entries = Object.entries(items);
  if (entries.length === 0) return <Empty text={t('empty')} />;
  return (
    <div className="rounded-lg border bg-card">
      <Table>
        <THead>
          <TR>
            <TH>{t('name')}</TH>
            {advanced && <TH>{t('id')}</TH>}
            <TH>{t('type')}</TH>
            <TH>{t('device')}</TH>
            <TH className="text-end">
              <ActionsLabel />
            </TH>
          </TR>
        </THead>
        <TBody>
          {entries.map(([id, s]) => (
            <TR key={id} id={`item-${id}`}>
              <TD className="font-medium">{s.Description || id}</TD>
              {advanced && (
                <TD>
                  <code>{id}</code>
                </TD>
              )}
              <TD>
                <Badge variant="secondary">{fmt.engine(s.Engine)}</Badge>
              </TD>
              <TD>{s.OwnerDevice ? (devices[s.OwnerDevice]?.FriendlyName ?? s.OwnerDevice) : '—'}</TD>
              <TD className="text-end">
                <EntryActions editors={editors} section="Sources" id={id} name={s.Description || id} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

function SchedulesTab({ rules, items, vaults, editors }: { rules: Record<string, Rule>; items: Record<string, Item>; vaults: Record<string, Vault>; editors: BackupEditors }) {
  const t = useTranslations('userDetail.schedules');
  const advanced = useAdvanced();
  const entries = Object.entries(rules);
  if (entries.length === 0) return <Empty text={t('empty')} />;
  return (
    <div className="rounded-lg border bg-card">
      <Table>
        <THead>
          <TR>
            <TH>{t('name')}</TH>
            {advanced && <TH>{t('id')}</TH>}
            <TH>{t('item')}</TH>
            <TH>{t('vault')}</TH>
            <TH>{t('when')}</TH>
            <TH className="text-end">
              <ActionsLabel />
            </TH>
          </TR>
        </THead>
        <TBody>
          {entries.map(([id, r]) => (
            <TR key={id} id={`rule-${id}`}>
              <TD className="font-medium">{r.Description || id}</TD>
              {advanced && (
                <TD>
                  <code>{id}</code>
                </TD>
              )}
              <TD>{items[r.Source ?? '']?.Description || r.Source || '—'}</TD>
              <TD>{vaults[r.Destination ?? '']?.Description || r.Destination || '—'}</TD>
              <TD>
                {(r.Schedules ?? [])
                  .map((s) => {
                    const key = FREQ_KEYS[s.FrequencyType ?? 0];
                    return key ? t(`frequency.${key}`) : String(s.FrequencyType);
                  })
                  .join(', ') || t('manual')}
              </TD>
              <TD className="text-end">
                <EntryActions editors={editors} section="BackupRules" id={id} name={r.Description || id} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
