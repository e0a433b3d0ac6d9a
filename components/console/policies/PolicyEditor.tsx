'use client';
// The policy editor: the UserPolicy fields MSPs set most (what users may change, default retention,
// random schedule delay, mandatory exclusions), the default-policy switch, and the users it applies to.
// Fields the editor does not show are kept as they are.
import { Plus, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { applyPolicy, deletePolicy, savePolicy } from '../../../app/(console)/policies/actions';
import { ExtraFileExclusionOSRestriction as OS, RetentionMode, RetentionRangeType as RR } from '../../../lib/comet/constants';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { FieldError, FieldErrorsProvider, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

type Exclusion = { Exclude: string; Regex: boolean; RestrictOS: number };
type Range = { Type: number; Jobs?: number; Days?: number; Weeks?: number; Months?: number; Years?: number };
type UserPolicy = Record<string, unknown> & {
  FileAndFolderMandatoryExclusions?: Exclusion[] | null;
  DefaultStorageVaultRetention?: { Mode?: number; Ranges?: Range[] | null };
  RandomDelaySecs?: number;
  EnforceStorageVaultRetention?: boolean;
};
export type GroupPolicy = { Description: string; OrganizationID: string; DefaultUserPolicy: boolean; Policy: UserPolicy };

const PREVENT_FLAGS = [
  'PreventRequestStorageVault',
  'PreventAddCustomStorageVault',
  'PreventEditStorageVault',
  'PreventDeleteStorageVault',
  'PreventNewProtectedItem',
  'PreventEditProtectedItem',
  'PreventDeleteProtectedItem',
  'PreventDeleteSingleSnapshots',
  'PreventProtectedItemRetention',
  'PreventChangeAccountPassword',
  'PreventChangeEmailSettings',
  'PreventChangeAccountName',
  'PreventOpenAppUI',
  'PreventOpenWebUI',
  'HideCloudStorageBranding',
] as const;

/** Range types offered in the editor, with the one count each of them takes. */
const RANGE_TYPES: Array<{ type: number; field: 'Jobs' | 'Days' | 'Weeks' | 'Months' | 'Years'; key: 'mostRecentJobs' | 'newerThanDays' | 'dailyForDays' | 'weeklyForWeeks' | 'monthlyForMonths' | 'yearlyForYears' }> = [
  { type: RR.RETENTIONRANGE_MOST_RECENT_X_JOBS, field: 'Jobs', key: 'mostRecentJobs' },
  { type: RR.RETENTIONRANGE_NEWER_THAN_X, field: 'Days', key: 'newerThanDays' },
  { type: RR.RETENTIONRANGE_FIRST_JOB_FOR_EACH_LAST_X_DAYS, field: 'Days', key: 'dailyForDays' },
  { type: RR.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_WEEKS, field: 'Weeks', key: 'weeklyForWeeks' },
  { type: RR.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_MONTHS, field: 'Months', key: 'monthlyForMonths' },
  { type: RR.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_YEARS, field: 'Years', key: 'yearlyForYears' },
];

const OS_OPTIONS = [
  { value: OS.OS_ANY, key: 'any' },
  { value: OS.OS_ONLY_WINDOWS, key: 'windows' },
  { value: OS.OS_ONLY_MACOS, key: 'macos' },
  { value: OS.OS_ONLY_LINUX, key: 'linux' },
] as const;

/** The policy form's fixed inputs and the server's refusals that concern them (API field suffixes and catalogue keys). */
const POLICY_FIELD_ERRORS = { Description: ['.Description'], RandomDelayMinutes: ['.RandomDelaySecs'], retentionMode: ['.DefaultStorageVaultRetention.Mode'] } as const;

/**
 * The form's inputs for the refusals of lib/policies/check-policy-fields.ts: the fixed ones, each retention range's
 * count (`range-<row>`) and each exclusion's pattern (`exclusion-<row>`). Blank exclusions are not sent, so a row's
 * index in the request is its index among the non-blank rows.
 */
function policyFieldErrors(ranges: Range[], exclusions: Exclusion[]): Record<string, readonly string[]> {
  const fields: Record<string, readonly string[]> = { ...POLICY_FIELD_ERRORS };
  ranges.forEach((_, i) => {
    fields[`range-${i}`] = [`.Ranges[${i}].Type`, ...RANGE_TYPES.map((d) => `.Ranges[${i}].${d.field}`)];
  });
  let sent = 0;
  exclusions.forEach((x, i) => {
    if (x.Exclude.trim() === '') return;
    fields[`exclusion-${i}`] = [`.FileAndFolderMandatoryExclusions[${sent}].Exclude`, `.FileAndFolderMandatoryExclusions[${sent}].RestrictOS`];
    sent++;
  });
  return fields;
}
/** The "apply to a user" input: a user the server does not know. */
const APPLY_FIELD_ERRORS = { applyUser: ['userNotFound', '.TargetUser'] } as const;

export function PolicyEditor({ id, policy, hash, users, userCount }: { id: string; policy: GroupPolicy; hash: string; users: string[]; userCount: number }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('policies.editor');
  const tc = useTranslations('common');
  const router = useRouter();
  const save = useApiAction();
  const remove = useApiAction();
  const apply = useApiAction();
  const p = policy.Policy ?? {};
  const [exclusions, setExclusions] = useState<Exclusion[]>(p.FileAndFolderMandatoryExclusions ?? []);
  const [mode, setMode] = useState<number>(p.DefaultStorageVaultRetention?.Mode || RetentionMode.RETENTIONMODE_KEEP_EVERYTHING);
  const [ranges, setRanges] = useState<Range[]>(p.DefaultStorageVaultRetention?.Ranges ?? []);
  const [saved, setSaved] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [applyTo, setApplyTo] = useState('');
  // Refusals next to the inputs they concern, without the API's field names; each clears on the next edit.
  const formRef = useRef<HTMLFormElement>(null);
  const saveRefusal = useFieldRefusal(formRef, save, policyFieldErrors(ranges, exclusions));
  const applyRef = useRef<HTMLFormElement>(null);
  const applyRefusal = useFieldRefusal(applyRef, apply, APPLY_FIELD_ERRORS);

  return (
    <div className="grid gap-6">
      <form
        ref={formRef}
        onChange={() => {
          unsaved.markDirty();
          // "Saved" and a refusal speak of the previous attempt.
          setSaved(false);
          if (save.error) save.setError('');
        }}
        className="grid gap-6"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const flags = Object.fromEntries(PREVENT_FLAGS.map((k) => [k, f.get(k) === 'on']));
          const patch = {
            Description: String(f.get('Description') ?? '').trim(),
            DefaultUserPolicy: f.get('DefaultUserPolicy') === 'on',
            Policy: {
              ...flags,
              RandomDelaySecs: Math.max(0, Math.round(Number(f.get('RandomDelayMinutes') ?? 0) * 60)),
              EnforceStorageVaultRetention: f.get('EnforceStorageVaultRetention') === 'on',
              DefaultStorageVaultRetention: { Mode: mode, Ranges: mode === RetentionMode.RETENTIONMODE_KEEP_EVERYTHING ? [] : ranges },
              FileAndFolderMandatoryExclusions: exclusions.filter((x) => x.Exclude.trim() !== ''),
            },
          };
          setSaved(false);
          setConflict(false);
          save.run<unknown>(
            async () => {
              const res = await savePolicy(id, hash, patch);
              if (!res.ok && res.status === 409) {
                setConflict(true);
                return { ok: true as const, data: null };
              }
              return res;
            },
            (data) => {
              if (data === null) return;
              unsaved.markClean();
              setSaved(true);
              router.refresh();
            },
          );
        }}
      >
        {conflict && (
          <Alert tone="warning">
            <p className="font-medium">{t('conflictTitle')}</p>
            <p>{t('conflictText')}</p>
          </Alert>
        )}
        <FieldErrorsProvider errors={saveRefusal.errors}>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>{t('general')}</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Field label={t('name')} error={<FieldError name="Description" />}>
                <Input name="Description" required defaultValue={policy.Description} maxLength={255} />
              </Field>
              <label className="flex items-center gap-2 text-sm">
                <Checkbox name="DefaultUserPolicy" defaultChecked={policy.DefaultUserPolicy} /> {t('defaultPolicy')}
              </label>
              <Field label={t('randomDelay')} hint={t('randomDelayHint')} error={<FieldError name="RandomDelayMinutes" />}>
                <Input name="RandomDelayMinutes" type="number" min={0} max={300} step={1} defaultValue={Math.round((p.RandomDelaySecs ?? 0) / 60)} />
              </Field>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{t('retention')}</CardTitle>
              <CardDescription>{t('retentionDescription')}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3">
              <Field label={t('retentionMode')} error={<FieldError name="retentionMode" />}>
                <NativeSelect name="retentionMode" value={mode} onChange={(e) => setMode(Number(e.target.value))}>
                  <option value={RetentionMode.RETENTIONMODE_KEEP_EVERYTHING}>{t('keepEverything')}</option>
                  <option value={RetentionMode.RETENTIONMODE_DELETE_EXCEPT}>{t('deleteExcept')}</option>
                </NativeSelect>
              </Field>
              {mode === RetentionMode.RETENTIONMODE_DELETE_EXCEPT && (
                <>
                  {ranges.map((r, i) => {
                    const def = RANGE_TYPES.find((x) => x.type === r.Type) ?? RANGE_TYPES[0];
                    return (
                      <div key={i} className="grid gap-1">
                      <div className="flex items-center gap-2">
                        <NativeSelect
                          aria-label={t('rangeType')}
                          value={def.type}
                          onChange={(e) => setRanges(ranges.map((x, j) => (j === i ? { Type: Number(e.target.value), [RANGE_TYPES.find((d) => d.type === Number(e.target.value))!.field]: 7 } : x)))}
                        >
                          {RANGE_TYPES.map((d) => (
                            <option key={d.type} value={d.type}>
                              {t(`ranges.${d.key}`)}
                            </option>
                          ))}
                        </NativeSelect>
                        <Input
                          name={`range-${i}`}
                          aria-label={t('rangeCount')}
                          type="number"
                          min={1}
                          className="w-24"
                          value={r[def.field] ?? 0}
                          onChange={(e) => setRanges(ranges.map((x, j) => (j === i ? { ...x, [def.field]: Number(e.target.value) } : x)))}
                        />
                        <Button type="button" variant="ghost" size="icon" aria-label={t('removeRange')} onClick={() => setRanges(ranges.filter((_, j) => j !== i))}>
                          <Trash2 />
                        </Button>
                      </div>
                      <FieldError name={`range-${i}`} />
                      </div>
                    );
                  })}
                  <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setRanges([...ranges, { Type: RR.RETENTIONRANGE_MOST_RECENT_X_JOBS, Jobs: 30 }])}>
                    <Plus /> {t('addRange')}
                  </Button>
                </>
              )}
              <label className="flex items-center gap-2 text-sm">
                <Checkbox name="EnforceStorageVaultRetention" defaultChecked={p.EnforceStorageVaultRetention ?? false} /> {t('enforceRetention')}
              </label>
            </CardContent>
          </Card>
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>{t('restrictions')}</CardTitle>
              <CardDescription>{t('restrictionsDescription')}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
              {PREVENT_FLAGS.map((flag) => (
                <label key={flag} className="flex items-start gap-2 text-sm">
                  <Checkbox name={flag} defaultChecked={p[flag] === true} className="mt-0.5" /> {t(`flags.${flag}`)}
                </label>
              ))}
            </CardContent>
          </Card>
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>{t('exclusions')}</CardTitle>
              <CardDescription>{t('exclusionsDescription')}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-2">
              {exclusions.map((x, i) => (
                <div key={i} className="grid gap-1">
                <div className="flex flex-wrap items-center gap-2">
                  <Input name={`exclusion-${i}`} aria-label={t('exclusionPattern')} className="min-w-64 flex-1 font-mono" value={x.Exclude} placeholder="*.tmp" onChange={(e) => setExclusions(exclusions.map((y, j) => (j === i ? { ...y, Exclude: e.target.value } : y)))} />
                  <label className="flex items-center gap-1 text-sm">
                    <Checkbox checked={x.Regex} onChange={(e) => setExclusions(exclusions.map((y, j) => (j === i ? { ...y, Regex: e.target.checked } : y)))} /> {t('regex')}
                  </label>
                  <NativeSelect aria-label={t('os')} className="w-40" value={x.RestrictOS} onChange={(e) => setExclusions(exclusions.map((y, j) => (j === i ? { ...y, RestrictOS: Number(e.target.value) } : y)))}>
                    {OS_OPTIONS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {t(`osOptions.${o.key}`)}
                      </option>
                    ))}
                  </NativeSelect>
                  <Button type="button" variant="ghost" size="icon" aria-label={t('removeExclusion')} onClick={() => setExclusions(exclusions.filter((_, j) => j !== i))}>
                    <Trash2 />
                  </Button>
                </div>
                <FieldError name={`exclusion-${i}`} />
                </div>
              ))}
              <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setExclusions([...exclusions, { Exclude: '', Regex: false, RestrictOS: OS.OS_ANY }])}>
                <Plus /> {t('addExclusion')}
              </Button>
            </CardContent>
          </Card>
        </div>
        </FieldErrorsProvider>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={save.pending}>
            {save.pending ? tc('saving') : tc('save')}
          </Button>
          {saved && (
            <span role="status" className="text-sm text-success">
              {tc('saved')}
            </span>
          )}
          {save.error && !saveRefusal.input && <Alert tone="error">{save.error}</Alert>}
        </div>
      </form>

      <Card>
        <CardHeader>
          <CardTitle>{t('appliedTo', { count: userCount })}</CardTitle>
          <CardDescription>{t('appliedToDescription')}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          {users.length > 0 && (
            <ul className="flex flex-wrap gap-2 text-sm" data-testid="policy-users">
              {users.map((u) => (
                <li key={u}>
                  <Link href={`/users/${encodeURIComponent(u)}`} className="rounded-md border px-2 py-1 hover:bg-accent">
                    {u}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <form
            ref={applyRef}
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              apply.run(
                () => applyPolicy(id, applyTo.trim()),
                () => {
                  setApplyTo('');
                  router.refresh();
                },
              );
            }}
          >
            <FieldErrorsProvider errors={applyRefusal.errors}>
              <Field label={t('applyUser')} className="w-64" error={<FieldError name="applyUser" />}>
                <Input
                  name="applyUser"
                  value={applyTo}
                  onChange={(e) => {
                    setApplyTo(e.target.value);
                    if (apply.error) apply.setError('');
                  }}
                  required
                />
              </Field>
            </FieldErrorsProvider>
            <Button type="submit" variant="outline" disabled={apply.pending}>
              {t('apply')}
            </Button>
          </form>
          {apply.error && !applyRefusal.input && <Alert tone="error">{apply.error}</Alert>}
        </CardContent>
      </Card>

      <Card className="border-destructive/40">
        <CardHeader>
          <CardTitle>{t('deleteTitle')}</CardTitle>
          <CardDescription>{t('deleteText')}</CardDescription>
        </CardHeader>
        <CardContent className="flex items-center gap-3">
          <Button
            variant="destructive"
            disabled={remove.pending}
            onClick={() => {
              if (window.confirm(t('deleteConfirm', { name: policy.Description }))) remove.run(() => deletePolicy(id), () => router.push('/policies'));
            }}
          >
            {t('delete')}
          </Button>
          {remove.error && <Alert tone="error">{remove.error}</Alert>}
        </CardContent>
      </Card>
    </div>
  );
}
