'use client';
// Storage used per ledger day over the last 30 days (every organization the admin sees).
import { useFormatter, useTranslations } from 'next-intl';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat } from '../format';

export function StorageChart({ days }: { days: Array<{ Day: number; Bytes: number }> }) {
  const t = useTranslations('overview.charts');
  const fmt = useFormat();
  const format = useFormatter();
  if (days.length === 0) return <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t('noLedger')}</p>;
  const data = days.map((d) => ({ bytes: d.Bytes, label: format.dateTime(new Date(d.Day * 1000), { day: 'numeric', month: 'short', timeZone: 'UTC' }) }));
  return (
    <div className="h-64" data-testid="chart-storage" dir="ltr">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ left: 8, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis tickFormatter={(v: number) => fmt.bytes(v)} width={72} fontSize={11} />
          <Tooltip formatter={(v) => fmt.bytes(Number(v))} />
          <Area type="monotone" dataKey="bytes" name={t('storage')} stroke="var(--primary)" fill="var(--primary)" fillOpacity={0.15} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
