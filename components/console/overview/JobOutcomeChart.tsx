'use client';
// Jobs of the last 7 days by outcome, one stacked bar per day: a failing day stands out at a glance.
import { useFormatter, useTranslations } from 'next-intl';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type Day = { Day: number; Success: number; Warning: number; Failed: number; Missed: number };

export function JobOutcomeChart({ days }: { days: Day[] }) {
  const t = useTranslations('overview.charts');
  const format = useFormatter();
  const data = days.map((d) => ({ ...d, label: format.dateTime(new Date(d.Day * 1000), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }) }));
  return (
    <div className="h-64" data-testid="chart-jobs" dir="ltr">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ left: 0, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis allowDecimals={false} width={36} fontSize={11} />
          <Tooltip />
          <Legend />
          <Bar dataKey="Success" name={t('success')} stackId="j" fill="var(--success)" isAnimationActive={false} />
          <Bar dataKey="Warning" name={t('warning')} stackId="j" fill="var(--warning)" isAnimationActive={false} />
          <Bar dataKey="Missed" name={t('missed')} stackId="j" fill="oklch(0.6 0.1 260)" isAnimationActive={false} />
          <Bar dataKey="Failed" name={t('failed')} stackId="j" fill="var(--destructive)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
