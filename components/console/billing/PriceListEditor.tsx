'use client';
// The organization's unit prices: per device-month, per GB-month and per booster-month of each booster type.
// Checked here first, so a mistake is named next to its field in the admin's language.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { savePriceList } from '../../../app/(console)/billing/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Field, Input, NativeSelect } from '../../ui/input';
import { useApiAction } from '../use-api-action';
import type { PriceList } from './types';
import { useDirtyForm } from '../use-unsaved-warning';

type Draft = { Currency: string; DevicePrice: string; GBMonthPrice: string; BoosterPrices: Record<string, string> };

export function PriceListEditor({ prices, org, tenants }: { prices: PriceList; org: string; tenants: Array<{ id: string; name: string }> | null }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('billing.prices');
  const tb = useTranslations('billing');
  const tc = useTranslations('common');
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  const [saved, setSaved] = useState(false);
  const [draft, setDraft] = useState<Draft>({
    Currency: prices.Currency,
    DevicePrice: String(prices.DevicePrice),
    GBMonthPrice: String(prices.GBMonthPrice),
    BoosterPrices: Object.fromEntries(Object.entries(prices.BoosterPrices).map(([k, v]) => [k, String(v)])),
  });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const priceProblem = (v: string) => (v.trim() === '' || !Number.isFinite(Number(v)) ? t('notANumber') : Number(v) < 0 ? t('negative') : '');
  const check = (): Record<string, string> => {
    const p: Record<string, string> = {};
    if (!/^[A-Z]{3}$/.test(draft.Currency)) p.Currency = t('currencyInvalid');
    for (const k of ['DevicePrice', 'GBMonthPrice'] as const) if (priceProblem(draft[k])) p[k] = priceProblem(draft[k]);
    for (const [k, v] of Object.entries(draft.BoosterPrices)) if (priceProblem(v)) p[`booster:${k}`] = priceProblem(v);
    return p;
  };
  const hint = (key: string) =>
    problems[key] ? (
      <span role="alert" className="text-xs text-destructive">
        {problems[key]}
      </span>
    ) : null;
  return (
    <Card className="max-w-3xl">
      <CardHeader>
        <CardTitle>{t('cardTitle')}</CardTitle>
        <CardDescription>{t('cardDescription')}</CardDescription>
      </CardHeader>
      <CardContent>
        {tenants && (
          <Field label={t('organization')} className="mb-4 max-w-sm">
            <NativeSelect value={org} onChange={(e) => router.push(`/billing/prices?org=${encodeURIComponent(e.target.value)}`)}>
              <option value="">{t('ownOrganization')}</option>
              {tenants.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
        )}
        <form
          onChange={unsaved.markDirty}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(false);
            const p = check();
            setProblems(p);
            if (Object.keys(p).length) return;
            const list: PriceList = {
              Currency: draft.Currency,
              DevicePrice: Number(draft.DevicePrice),
              GBMonthPrice: Number(draft.GBMonthPrice),
              BoosterPrices: Object.fromEntries(Object.entries(draft.BoosterPrices).map(([k, v]) => [k, Number(v)])),
            };
            run(() => savePriceList(list, org), () => {
              unsaved.markClean();
              setSaved(true);
            });
          }}
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label={t('currency')} hint={t('currencyHint')}>
              <Input name="currency" value={draft.Currency} maxLength={3} onChange={(e) => setDraft({ ...draft, Currency: e.target.value.toUpperCase() })} aria-invalid={!!problems.Currency} />
              {hint('Currency')}
            </Field>
            <Field label={t('devicePrice')} hint={t('devicePriceHint')}>
              <Input name="devicePrice" inputMode="decimal" value={draft.DevicePrice} onChange={(e) => setDraft({ ...draft, DevicePrice: e.target.value })} aria-invalid={!!problems.DevicePrice} />
              {hint('DevicePrice')}
            </Field>
            <Field label={t('gbMonthPrice')} hint={t('gbMonthPriceHint')}>
              <Input name="gbMonthPrice" inputMode="decimal" value={draft.GBMonthPrice} onChange={(e) => setDraft({ ...draft, GBMonthPrice: e.target.value })} aria-invalid={!!problems.GBMonthPrice} />
              {hint('GBMonthPrice')}
            </Field>
          </div>
          <h3 className="mt-2 text-sm font-semibold">{t('boosterPrices')}</h3>
          <div className="grid gap-4 sm:grid-cols-3">
            {Object.keys(draft.BoosterPrices)
              .sort()
              .map((k) => (
                <Field key={k} label={tb.has(`boosters.${k}` as never) ? tb(`boosters.${k as 'mssql'}`) : k}>
                  <Input
                    name={`booster-${k}`}
                    inputMode="decimal"
                    value={draft.BoosterPrices[k]}
                    onChange={(e) => setDraft({ ...draft, BoosterPrices: { ...draft.BoosterPrices, [k]: e.target.value } })}
                    aria-invalid={!!problems[`booster:${k}`]}
                  />
                  {hint(`booster:${k}`)}
                </Field>
              ))}
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
          </div>
          {error && <Alert tone="error">{error}</Alert>}
        </form>
      </CardContent>
    </Card>
  );
}
