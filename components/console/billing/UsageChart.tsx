'use client';
// Usage over time: devices, configured devices and boosters (left axis) and stored bytes (right axis) per
// day of the selected range, from admin/billing/usage grouped by day.
import { useTranslations } from 'next-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { useFormat } from '../format';

type UsagePoint = { day: string; devices: number; configured: number; boosters: number; bytes: number };

export function UsageChart({ points }: { points: UsagePoint[] }) {
  const t = useTranslations('billing.chart');
  const fmt = useFormat();
  return (
    <Card className="mb-6" data-testid="usage-chart">
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent className="h-72" dir="ltr">
        {points.length === 0 ? (
          <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t('noData')}</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ left: 8, right: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="day" fontSize={11} />
              <YAxis yAxisId="n" allowDecimals={false} width={40} fontSize={11} />
              <YAxis yAxisId="b" orientation="right" tickFormatter={(v: number) => fmt.bytes(v)} width={72} fontSize={11} />
              <Tooltip formatter={(v, name) => (name === t('storage') ? fmt.bytes(Number(v)) : v)} />
              <Legend />
              <Line yAxisId="n" type="monotone" dataKey="devices" name={t('devices')} stroke="var(--primary)" dot={false} isAnimationActive={false} />
              <Line yAxisId="n" type="monotone" dataKey="configured" name={t('configured')} stroke="oklch(0.6 0.15 150)" dot={false} isAnimationActive={false} />
              <Line yAxisId="n" type="monotone" dataKey="boosters" name={t('boosters')} stroke="oklch(0.65 0.17 45)" dot={false} isAnimationActive={false} />
              <Line yAxisId="b" type="monotone" dataKey="bytes" name={t('storage')} stroke="oklch(0.55 0.2 300)" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </CardContent>
    </Card>
  );
}
