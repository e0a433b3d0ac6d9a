'use client';
// Storage vault size over time (from each job's DestinationSizeEnd) and daily upload/download volume,
// drawn with recharts from the user's recent jobs.
import { useFormatter, useTranslations } from 'next-intl';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { useFormat } from '../format';

export type JobPoint = { end: number; vault: string; vaultSize: number; upload: number; download: number };

const COLORS = ['var(--primary)', 'oklch(0.6 0.15 150)', 'oklch(0.65 0.17 45)', 'oklch(0.55 0.2 300)', 'oklch(0.6 0.12 200)'];

export function VaultCharts({ points, vaultNames }: { points: JobPoint[]; vaultNames: Record<string, string> }) {
  const t = useTranslations('userDetail.charts');
  const fmt = useFormat();
  const format = useFormatter();
  const finished = points.filter((p) => p.end > 0).sort((a, b) => a.end - b.end);
  if (finished.length === 0) return <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t('noData')}</p>;
  const vaults = [...new Set(finished.filter((p) => p.vaultSize > 0).map((p) => p.vault))].slice(0, COLORS.length);
  // One row per job end time, with each vault's latest known size so the lines stay continuous.
  const last: Record<string, number> = {};
  const sizeRows = finished.map((p) => {
    if (p.vaultSize > 0) last[p.vault] = p.vaultSize;
    return { t: p.end, ...Object.fromEntries(vaults.map((v) => [v, last[v] ?? null])) };
  });
  const days = new Map<string, { day: string; upload: number; download: number }>();
  for (const p of finished) {
    const day = new Date(p.end * 1000).toISOString().slice(0, 10);
    const d = days.get(day) ?? { day, upload: 0, download: 0 };
    d.upload += p.upload;
    d.download += p.download;
    days.set(day, d);
  }
  const dateLabel = (s: number) => format.dateTime(new Date(s * 1000), { month: 'short', day: 'numeric' });
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="vault-charts">
      <Card>
        <CardHeader>
          <CardTitle>{t('sizeTitle')}</CardTitle>
          <CardDescription>{t('sizeText')}</CardDescription>
        </CardHeader>
        <CardContent className="h-64" dir="ltr">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={sizeRows} margin={{ left: 8, right: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={dateLabel} fontSize={11} />
              <YAxis tickFormatter={(v: number) => fmt.bytes(v)} width={72} fontSize={11} />
              <Tooltip labelFormatter={(v) => format.dateTime(new Date(Number(v) * 1000), { dateStyle: 'medium', timeStyle: 'short' })} formatter={(v) => fmt.bytes(Number(v))} />
              <Legend />
              {vaults.map((v, i) => (
                <Line key={v} type="monotone" dataKey={v} name={vaultNames[v] ?? v} stroke={COLORS[i]} dot={false} connectNulls isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('transferTitle')}</CardTitle>
          <CardDescription>{t('transferText')}</CardDescription>
        </CardHeader>
        <CardContent className="h-64" dir="ltr">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={[...days.values()]} margin={{ left: 8, right: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="day" fontSize={11} />
              <YAxis tickFormatter={(v: number) => fmt.bytes(v)} width={72} fontSize={11} />
              <Tooltip formatter={(v) => fmt.bytes(Number(v))} />
              <Legend />
              <Bar dataKey="upload" name={t('uploaded')} fill="var(--primary)" isAnimationActive={false} />
              <Bar dataKey="download" name={t('downloaded')} fill="oklch(0.65 0.17 45)" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </CardContent>
      </Card>
    </div>
  );
}
