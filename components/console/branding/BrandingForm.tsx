'use client';
// Settings → Branding: name, colours and logo of the admin's organization, with a live preview of the
// sign-in header. The logo is uploaded as a resource first; the branding then names it (resource://<hash>).
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { saveBranding, uploadBrandingResource } from '../../../app/(console)/settings/branding/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Field, Input } from '../../ui/input';
import { FieldError, FieldErrorsProvider, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

const MAX_LOGO_BYTES = 8 * 1024 * 1024;
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** The form's inputs and the server's refusals that concern them (BrandingConfig fields and catalogue keys). */
const BRANDING_FIELD_ERRORS = {
  brandName: ['.BrandName'],
  productName: ['.ProductName'],
  companyName: ['.CompanyName'],
  TopColor: ['.TopColor'],
  AccentColor: ['.AccentColor'],
  logo: ['.LogoImage', '.BrandingStyleType', 'resourceNotFound', 'resourceNoUpload', 'resourceTooLarge'],
} as const;

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function BrandingForm({ branding }: { branding: Record<string, unknown> }) {
  const unsaved = useDirtyForm();
  const router = useRouter();
  const t = useTranslations('branding');
  const tc = useTranslations('common');
  const action = useApiAction();
  const { run, pending, error, setError } = action;
  const str = (k: string) => (typeof branding[k] === 'string' ? (branding[k] as string) : '');
  const [brandName, setBrandName] = useState(str('BrandName'));
  const [productName, setProductName] = useState(str('ProductName'));
  const [companyName, setCompanyName] = useState(str('CompanyName'));
  const [topColor, setTopColor] = useState(str('TopColor') || '#1f2937');
  const [accentColor, setAccentColor] = useState(str('AccentColor') || '#2563eb');
  const [logo, setLogo] = useState(str('LogoImage'));
  const [logoPreview, setLogoPreview] = useState('');
  const [saved, setSaved] = useState(false);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  // A refusal that concerns one input is shown next to it (the browser's own check first, then the server's).
  const formRef = useRef<HTMLFormElement>(null);
  const refusal = useFieldRefusal(formRef, action, BRANDING_FIELD_ERRORS);
  const errors = fieldError ? { [fieldError.field]: fieldError.message } : refusal.errors;

  function onLogo(file: File | undefined) {
    setSaved(false);
    setFieldError(null);
    if (!file) return;
    if (file.size > MAX_LOGO_BYTES) return setFieldError({ field: 'logo', message: t('logoTooLarge') });
    if (!/^image\/(png|jpeg|gif|webp)$/.test(file.type)) return setFieldError({ field: 'logo', message: t('logoType') });
    run(
      async () => uploadBrandingResource(toBase64(await file.arrayBuffer())),
      (data) => {
        setLogo(`resource://${data.ResourceHash}`);
        setLogoPreview(URL.createObjectURL(file));
      },
    );
  }

  const colourError = (v: string) => (COLOR.test(v) ? '' : t('colourHint'));
  return (
    <div className="grid max-w-4xl gap-6 lg:grid-cols-[1fr_20rem]">
      <Card>
        <CardHeader>
          <CardTitle>{t('formTitle')}</CardTitle>
          <CardDescription>{t('formDescription')}</CardDescription>
        </CardHeader>
        <CardContent>
          <form
            ref={formRef}
            onChange={(e) => {
              unsaved.markDirty();
              // "Saved" and a refusal speak of the previous attempt (a chosen logo is checked by onLogo itself).
              setSaved(false);
              if ((e.target as unknown as { name?: string }).name !== 'logo') setFieldError(null);
              if (error) setError('');
            }}
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              setSaved(false);
              setError('');
              const bad = [['TopColor', topColor], ['AccentColor', accentColor]].find(([, v]) => colourError(v));
              if (bad) return setFieldError({ field: bad[0], message: t('colourHint') });
              setFieldError(null);
              run(
                () => saveBranding({ ...branding, BrandName: brandName.trim(), ProductName: productName.trim(), CompanyName: companyName.trim(), TopColor: topColor, AccentColor: accentColor, LogoImage: logo, BrandingStyleType: logo ? 3 : branding.BrandingStyleType ?? 0 }),
                () => {
                  unsaved.markClean();
                  setSaved(true);
                  // The console shell shows the organization's branding: let it pick up the new one now.
                  router.refresh();
                },
              );
            }}
          >
            <FieldErrorsProvider errors={errors}>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={t('brandName')} hint={t('brandNameHint')} error={<FieldError name="brandName" />}>
                <Input name="brandName" value={brandName} maxLength={255} onChange={(e) => setBrandName(e.target.value)} />
              </Field>
              <Field label={t('productName')} error={<FieldError name="productName" />}>
                <Input name="productName" value={productName} maxLength={255} onChange={(e) => setProductName(e.target.value)} />
              </Field>
              <Field label={t('companyName')} error={<FieldError name="companyName" />}>
                <Input name="companyName" value={companyName} maxLength={255} onChange={(e) => setCompanyName(e.target.value)} />
              </Field>
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              {(
                [
                  ['TopColor', t('topColor'), topColor, setTopColor],
                  ['AccentColor', t('accentColor'), accentColor, setAccentColor],
                ] as const
              ).map(([field, label, value, set]) => (
                <Field key={field} label={label} hint={errors[field] ? undefined : t('colourHint')} error={<FieldError name={field} />}>
                  <div className="flex items-center gap-2">
                    <input type="color" aria-label={label} value={COLOR.test(value) && value.length === 7 ? value : '#000000'} onChange={(e) => set(e.target.value)} className="h-9 w-12 rounded border" />
                    <Input name={field} value={value} onChange={(e) => set(e.target.value)} aria-invalid={fieldError?.field === field || undefined} aria-describedby={fieldError?.field === field ? `field-error-${field}` : undefined} />
                  </div>
                </Field>
              ))}
            </div>
            <Field label={t('logo')} hint={t('logoHint')} error={<FieldError name="logo" />}>
              <Input name="logo" type="file" accept="image/png,image/jpeg,image/gif,image/webp" onChange={(e) => onLogo(e.target.files?.[0])} aria-invalid={fieldError?.field === 'logo' || undefined} aria-describedby={fieldError?.field === 'logo' ? 'field-error-logo' : undefined} />
            </Field>
            </FieldErrorsProvider>
            {logo && (
              <div>
                <Button type="button" variant="outline" onClick={() => (setLogo(''), setLogoPreview(''))}>
                  {t('removeLogo')}
                </Button>
              </div>
            )}
            <div className="flex items-center gap-3">
              <Button type="submit" disabled={pending}>
                {tc('save')}
              </Button>
              {saved && (
                <span role="status" className="text-sm text-success">
                  {tc('saved')}
                </span>
              )}
            </div>
            {error && !refusal.input && <Alert tone="error">{error}</Alert>}
          </form>
        </CardContent>
      </Card>
      <Card aria-label={t('preview')} data-testid="branding-preview">
        <CardHeader>
          <CardTitle>{t('preview')}</CardTitle>
          <CardDescription>{t('previewHint')}</CardDescription>
        </CardHeader>
        <CardContent>
          <div className="overflow-hidden rounded-md border">
            <div className="px-4 py-3 text-white" style={{ background: COLOR.test(topColor) ? topColor : undefined }}>
              {logo && logoPreview ? (
                // eslint-disable-next-line @next/next/no-img-element -- a local preview of the file just chosen (blob: URL)
                <img src={logoPreview} alt={brandName || 'logo'} className="max-h-10 max-w-full object-contain" />
              ) : (
                <span className="font-semibold">{brandName || 'Halley'}</span>
              )}
            </div>
            <div className="grid gap-2 p-4 text-sm">
              <span className="font-medium">{productName || brandName || 'Halley'}</span>
              <span className="inline-flex w-fit rounded px-3 py-1 text-white" style={{ background: COLOR.test(accentColor) ? accentColor : undefined }}>
                {t('previewButton')}
              </span>
              {companyName && <span className="text-xs text-muted-foreground">{companyName}</span>}
            </div>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
