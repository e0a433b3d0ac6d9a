'use client';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { deleteTenant, saveTenant } from '../../../app/(console)/tenants/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input, Textarea } from '../../ui/input';
import { clearFlags, FieldError, FieldErrorsProvider, fieldForError, flagField, refusalText } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

export type TenantOrg = {
  Name: string;
  Hosts: string[] | null;
  IsSuspended: boolean;
  Branding?: { BrandName?: string; ProductName?: string; CompanyName?: string; TopColor?: string; AccentColor?: string; HelpURL?: string };
  Email?: { FromName?: string; FromEmail?: string };
};

/** The form's inputs and the server's refusals that concern them (API field suffixes and catalogue keys). */
const TENANT_FIELD_ERRORS = {
  Name: ['.Name'],
  Hosts: ['.Hosts[', 'hostUsedByOrganization', 'hostUsedByAnother'],
  FromName: ['.Email.FromName', 'fromNameOneLine'],
  FromEmail: ['.Email.FromEmail'],
  BrandName: ['.Branding.BrandName'],
  ProductName: ['.Branding.ProductName'],
  CompanyName: ['.Branding.CompanyName'],
  TopColor: ['.Branding.TopColor'],
  AccentColor: ['.Branding.AccentColor'],
  HelpURL: ['.Branding.HelpURL'],
} as const;

/** Email settings the form does not show (kept from stored data) and their labels (settings.email.sender). */
const STORED_EMAIL_SETTINGS = { Mode: 'mode', SMTPHost: 'host', SMTPPort: 'port' } as const;

/** The swatch shows when no colour is set (the console's own accent); an unset colour stays unset when saved. */
const DEFAULT_SWATCH = '#3b5bdb';

function ColorField({ label, name, value }: { label: string; name: string; value: string }) {
  const [v, setV] = useState(value);
  return (
    <Field label={label} error={<FieldError name={name} />}>
      <span className="flex items-center gap-2">
        <input type="color" aria-label={label} value={/^#[0-9a-f]{6}$/i.test(v) ? v : DEFAULT_SWATCH} onChange={(e) => setV(e.target.value)} className="h-9 w-12 cursor-pointer rounded border" />
        <Input name={name} value={v} onChange={(e) => setV(e.target.value)} pattern="^(#[0-9a-fA-F]{6})?$" className="font-mono" />
      </span>
    </Field>
  );
}

export function TenantForm({ id, org }: { id: string; org: TenantOrg }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('tenants.edit');
  const tc = useTranslations('common');
  const router = useRouter();
  const save = useApiAction();
  const remove = useApiAction();
  const [saved, setSaved] = useState(false);
  const b = org.Branding ?? {};
  // A refused name or host is shown next to its input, without the API's field name.
  const formRef = useRef<HTMLFormElement>(null);
  const errorInput = save.error ? fieldForError(save.errorKey, TENANT_FIELD_ERRORS, save.errorField) : undefined;
  useEffect(() => {
    clearFlags(formRef.current);
    if (errorInput) flagField(formRef.current, errorInput);
  }, [errorInput, save.error]);
  const fieldErrors = errorInput ? { [errorInput]: save.errorDetail || save.errorFieldFree || save.error } : {};
  // A refused email setting that is not on this form (stored Mode, SMTP host or port): said in words, with the
  // page where it is changed, instead of the API's Organization.Email.* sentence.
  const te = useTranslations('settings.email.sender');
  const storedEmail = save.error && !errorInput ? /\.Email\.(Mode|SMTPHost|SMTPPort)$/.exec(save.errorField ?? '')?.[1] as keyof typeof STORED_EMAIL_SETTINGS | undefined : undefined;
  return (
    <div className="grid gap-6">
      <form
        ref={formRef}
        onChange={() => {
          unsaved.markDirty();
          // "Saved" and a refusal speak of the previous attempt.
          if (saved) setSaved(false);
          if (save.error) save.setError('');
        }}
        className="grid gap-6"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const s = (k: string) => String(f.get(k) ?? '').trim();
          setSaved(false);
          save.run(
            () =>
              saveTenant(id, {
                Name: s('Name'),
                Hosts: s('Hosts').split(/[\s,]+/).filter(Boolean),
                IsSuspended: f.get('IsSuspended') === 'on',
                Branding: { BrandName: s('BrandName'), ProductName: s('ProductName'), CompanyName: s('CompanyName'), TopColor: s('TopColor'), AccentColor: s('AccentColor'), HelpURL: s('HelpURL') },
                Email: { FromName: s('FromName'), FromEmail: s('FromEmail') },
              }),
            () => {
              unsaved.markClean();
              setSaved(true);
              router.refresh();
            },
          );
        }}
      >
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>{t('general')}</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <FieldErrorsProvider errors={fieldErrors}>
              <Field label={t('name')} error={<FieldError name="Name" />}>
                <Input name="Name" required defaultValue={org.Name} maxLength={255} />
              </Field>
              <Field label={t('hosts')} hint={t('hostsHint')} error={<FieldError name="Hosts" />}>
                <Textarea name="Hosts" rows={2} defaultValue={(org.Hosts ?? []).join('\n')} />
              </Field>
              </FieldErrorsProvider>
              <label className="flex items-center gap-2 text-sm">
                <Checkbox name="IsSuspended" defaultChecked={org.IsSuspended} /> {t('suspended')}
              </label>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{t('email')}</CardTitle>
              <CardDescription>{t('emailDescription')}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <FieldErrorsProvider errors={fieldErrors}>
                <Field label={t('fromName')} error={<FieldError name="FromName" />}>
                  <Input name="FromName" defaultValue={org.Email?.FromName ?? ''} />
                </Field>
                <Field label={t('fromEmail')} error={<FieldError name="FromEmail" />}>
                  <Input name="FromEmail" type="email" defaultValue={org.Email?.FromEmail ?? ''} />
                </Field>
              </FieldErrorsProvider>
            </CardContent>
          </Card>
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>{t('branding')}</CardTitle>
              <CardDescription>{t('brandingDescription')}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              <FieldErrorsProvider errors={fieldErrors}>
              <Field label={t('brandName')} error={<FieldError name="BrandName" />}>
                <Input name="BrandName" defaultValue={b.BrandName ?? ''} />
              </Field>
              <Field label={t('productName')} error={<FieldError name="ProductName" />}>
                <Input name="ProductName" defaultValue={b.ProductName ?? ''} />
              </Field>
              <Field label={t('companyName')} error={<FieldError name="CompanyName" />}>
                <Input name="CompanyName" defaultValue={b.CompanyName ?? ''} />
              </Field>
              <ColorField label={t('topColor')} name="TopColor" value={b.TopColor ?? ''} />
              <ColorField label={t('accentColor')} name="AccentColor" value={b.AccentColor ?? ''} />
              <Field label={t('helpUrl')} error={<FieldError name="HelpURL" />}>
                <Input name="HelpURL" type="url" defaultValue={b.HelpURL ?? ''} />
              </Field>
              </FieldErrorsProvider>
            </CardContent>
          </Card>
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={save.pending}>
            {save.pending ? tc('saving') : tc('save')}
          </Button>
          <Button asChild variant="outline">
            <Link href={`/admins?new=1&tenant=${id}`}>{t('addAdmin')}</Link>
          </Button>
          {saved && (
            <span role="status" className="text-sm text-success">
              {tc('saved')}
            </span>
          )}
          {save.error && !errorInput && !storedEmail && <Alert tone="error">{save.error}</Alert>}
          {storedEmail && (
            <Alert tone="error">
              <p>{t('emailStoredRefused', { setting: te(STORED_EMAIL_SETTINGS[storedEmail]), reason: refusalText(save) })}</p>
              <Link href={`/settings/email?org=${encodeURIComponent(id)}`} className="font-medium underline">
                {t('emailStoredLink')}
              </Link>
            </Alert>
          )}
        </div>
      </form>
      <Card className="border-destructive/40">
        <CardHeader>
          <CardTitle>{t('dangerTitle')}</CardTitle>
          <CardDescription>{t('dangerText')}</CardDescription>
        </CardHeader>
        <CardContent className="flex items-center gap-3">
          <Button
            variant="destructive"
            disabled={remove.pending}
            onClick={() => {
              if (!window.confirm(t('deleteConfirm', { name: org.Name }))) return;
              remove.run(
                () => deleteTenant(id),
                () => router.push('/tenants'),
              );
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
