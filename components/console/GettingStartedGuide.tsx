'use client';
// The getting-started guide in the sidebar: live progress through the first steps of a new server,
// dismissible (remembered per admin; the user menu brings it back).
import { CheckCircle2, Circle, X } from 'lucide-react';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { savePreferences } from '../../app/(console)/actions';
import type { GettingStarted } from '../../lib/meta/getting-started';
import { useApiAction } from './use-api-action';

// Each step links to the exact place where it is done: storage templates (what a new user's vault gets; an admin
// without AllowEditRemoteStorage adds a vault on a user's page instead), the add-user dialog, the devices page
// (client installation and the lobby), a user's protected items, and the devices page again (a backup is started
// on a live device).
const userTab = (p: GettingStarted, tab: string) => (p.FirstUser ? `/users/${encodeURIComponent(p.FirstUser)}?tab=${tab}` : '/users?new=1');
const STEPS = [
  { key: 'storage', done: (p: GettingStarted) => p.StorageConfigured, href: (p: GettingStarted, templates: boolean) => (templates ? '/settings/storage' : userTab(p, 'vaults')) },
  { key: 'user', done: (p: GettingStarted) => p.UserAdded, href: () => '/users?new=1' },
  { key: 'device', done: (p: GettingStarted) => p.DeviceRegistered, href: () => '/devices' },
  { key: 'item', done: (p: GettingStarted) => p.ProtectedItemAdded, href: (p: GettingStarted) => userTab(p, 'items') },
  { key: 'job', done: (p: GettingStarted) => p.BackupJobRun, href: () => '/devices' },
] as const;

export function GettingStartedGuide({ progress, storageTemplates }: { progress: GettingStarted; storageTemplates: boolean }) {
  const t = useTranslations('guide');
  const router = useRouter();
  const { run, pending } = useApiAction();
  const doneCount = STEPS.filter((s) => s.done(progress)).length;
  return (
    <section aria-labelledby="guide-title" className="mx-3 mt-auto mb-3 rounded-lg border bg-background p-4 text-sm shadow-xs">
      <div className="mb-2 flex items-start justify-between gap-2">
        <h2 id="guide-title" className="font-semibold">
          {t('title')}
        </h2>
        <button
          type="button"
          aria-label={t('dismiss')}
          title={t('dismiss')}
          disabled={pending}
          className="rounded p-0.5 text-muted-foreground hover:bg-accent"
          onClick={() => run(() => savePreferences({ GuideDismissed: true }), () => router.refresh())}
        >
          <X className="size-4" />
        </button>
      </div>
      <p className="mb-2 text-xs text-muted-foreground">{t('progress', { done: doneCount, total: STEPS.length })}</p>
      <div className="mb-3 h-1.5 overflow-hidden rounded-full bg-muted" role="progressbar" aria-label={t('progress', { done: doneCount, total: STEPS.length })} aria-valuemin={0} aria-valuemax={STEPS.length} aria-valuenow={doneCount}>
        <div className="h-full bg-primary transition-all" style={{ width: `${(doneCount / STEPS.length) * 100}%` }} />
      </div>
      <ol className="grid gap-2">
        {STEPS.map((s) => {
          const done = s.done(progress);
          return (
            <li key={s.key} className="flex items-start gap-2" data-done={done}>
              {done ? <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-success" aria-label={t('done')} /> : <Circle className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-label={t('todo')} />}
              {done ? (
                <span className="text-muted-foreground line-through">{t(`steps.${s.key}`)}</span>
              ) : (
                <Link href={s.href(progress, storageTemplates)} className="hover:underline">
                  {t(`steps.${s.key}`)}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
