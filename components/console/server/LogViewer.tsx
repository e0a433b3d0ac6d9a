'use client';
// Settings → Logs: one day of the server log, filtered by level and text, newest last; download saves the
// whole day as a text file, "download all" every day as one zip (admin/meta/read-all-logs).
import { useTranslations } from 'next-intl';
import { useFormat } from '../format';
import { useEffect, useRef, useState } from 'react';
import { readLogText, searchLog, type LogEntry } from '../../../app/(console)/settings/logs/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { useApiAction } from '../use-api-action';

const LEVELS = ['', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const dayLabel = (day: number) => new Date(day * 1000).toISOString().slice(0, 10);

export function LogViewer({ days }: { days: number[] }) {
  const t = useTranslations('serverOps.logs');
  const fmt = useFormat();
  const { run, pending, error } = useApiAction();
  const [day, setDay] = useState(days[0] ?? 0);
  const [level, setLevel] = useState('');
  const [text, setText] = useState('');
  const [entries, setEntries] = useState<LogEntry[] | null>(null);
  const [truncated, setTruncated] = useState(false);

  // Only the latest request's answer is shown: an earlier, slower one (the first day's) must not overwrite it.
  const latest = useRef(0);
  const load = (d = day, l = level, q = text) => {
    const request = ++latest.current;
    return run(
      () => searchLog(d, l, q),
      (data) => {
        if (request !== latest.current) return;
        setEntries(data.Entries);
        setTruncated(data.Truncated);
      },
    );
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => { if (days.length) load(); }, []);

  if (days.length === 0) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>{t('title')}</CardTitle>
          <CardDescription>{t('description')}</CardDescription>
        </CardHeader>
        <CardContent>
          <p className="text-sm text-muted-foreground">{t('none')}</p>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form
          className="grid items-end gap-3 sm:grid-cols-[auto_auto_1fr_auto_auto_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            load();
          }}
        >
          <Field label={t('day')}>
            <NativeSelect name="day" value={day} onChange={(e) => { const d = Number(e.target.value); setDay(d); load(d); }}>
              {days.map((d) => (
                <option key={d} value={d}>
                  {fmt.dateTime(d, 'date', { timeZone: 'UTC' })}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label={t('level')}>
            <NativeSelect name="level" value={level} onChange={(e) => { setLevel(e.target.value); load(day, e.target.value); }}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l ? t(`levels.${l}`) : t('allLevels')}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label={t('filter')}>
            <Input name="filter" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} placeholder={t('filterPlaceholder')} />
          </Field>
          <Button type="submit" disabled={pending}>
            {t('apply')}
          </Button>
          <Button
            type="button"
            variant="outline"
            disabled={pending}
            onClick={() =>
              run(
                () => readLogText(day),
                (body) => {
                  const url = URL.createObjectURL(new Blob([body], { type: 'text/plain' }));
                  const a = document.createElement('a');
                  a.href = url;
                  a.download = `halley-${dayLabel(day)}.log`;
                  a.click();
                  URL.revokeObjectURL(url);
                },
              )
            }
          >
            {t('download')}
          </Button>
          <Button asChild variant="outline">
            {/* A plain link: the browser streams the zip to disk as it is made. */}
            <a href="/settings/logs/download" download>
              {t('downloadAll')}
            </a>
          </Button>
        </form>
        {error && <Alert tone="error">{error}</Alert>}
        {truncated && <Alert tone="warning">{t('truncated')}</Alert>}
        {entries && entries.length === 0 && <p className="text-sm text-muted-foreground">{t('noMatch')}</p>}
        {entries && entries.length > 0 && (
          <Table aria-label={t('title')}>
            <THead>
              <TR>
                <TH>{t('time')}</TH>
                <TH>{t('level')}</TH>
                <TH>{t('message')}</TH>
              </TR>
            </THead>
            <TBody>
              {entries.map((e, i) => (
                <TR key={i}>
                  <TD className="whitespace-nowrap font-mono text-xs">{e.Time ? fmt.dateTime(e.Time, 'timeSeconds') : ''}</TD>
                  <TD>
                    <Badge variant={e.Level === 'error' || e.Level === 'fatal' ? 'destructive' : e.Level === 'warn' ? 'warning' : 'secondary'}>{e.Level}</Badge>
                  </TD>
                  <TD>
                    <div>{e.Message}</div>
                    <details>
                      <summary className="cursor-pointer text-xs text-muted-foreground">{t('details')}</summary>
                      <pre className="max-w-3xl overflow-x-auto whitespace-pre-wrap break-all font-mono text-xs">{e.Line}</pre>
                    </details>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
