'use client';
import { Download } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useFormat } from '../format';
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '../../ui/button';
import { cn } from '../../ui/cn';
import { Input, NativeSelect } from '../../ui/input';

const TONE: Record<string, string> = { E: 'text-destructive', W: 'text-[oklch(0.5_0.12_75)]', D: 'text-muted-foreground' };
/** Comet's one-letter severities, shown as words in the admin's language. */
const LEVELS = ['D', 'I', 'W', 'E'] as const;

export function JobLog({ jobId, entries, severity, contains }: { jobId: string; entries: Array<{ Time: number; Severity: string; Message: string }>; severity: string; contains: string }) {
  const t = useTranslations('jobs.log');
  const fmt = useFormat();
  const router = useRouter();
  const pathname = usePathname();
  const [text, setText] = useState(contains);
  const go = (sev: string, q: string) => router.replace(`${pathname}?severity=${sev}${q ? `&contains=${encodeURIComponent(q)}` : ''}`, { scroll: false });
  return (
    <div className="grid gap-3">
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          go(severity, text);
        }}
      >
        <NativeSelect aria-label={t('minSeverity')} className="h-8 w-auto max-w-full py-0" value={severity} onChange={(e) => go(e.target.value, text)}>
          <option value="D">{t('debug')}</option>
          <option value="I">{t('info')}</option>
          <option value="W">{t('warning')}</option>
          <option value="E">{t('error')}</option>
        </NativeSelect>
        <Input aria-label={t('contains')} placeholder={t('contains')} className="h-8 w-56" value={text} onChange={(e) => setText(e.target.value)} />
        <Button type="submit" variant="outline" size="sm">
          {t('filter')}
        </Button>
        <Button asChild variant="outline" size="sm" className="ms-auto">
          <a href={`/jobs/${encodeURIComponent(jobId)}/log`} download>
            <Download /> {t('download')}
          </a>
        </Button>
      </form>
      {entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('empty')}</p>
      ) : (
        <ol className="max-h-[32rem] overflow-auto rounded-md border bg-muted/30 p-3 font-mono text-xs leading-relaxed" data-testid="job-log">
          {entries.map((e, i) => (
            <li key={i} className={cn('whitespace-pre-wrap', TONE[e.Severity])}>
              <span className="text-muted-foreground">{fmt.dateTime(e.Time, 'timeSeconds')}</span>{' '}
              <span data-severity={e.Severity}>{(LEVELS as readonly string[]).includes(e.Severity) ? t(`level.${e.Severity as (typeof LEVELS)[number]}`) : e.Severity}</span> {e.Message}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
