'use client';
// News items with an unread badge: what this browser has not seen yet (the ids of the items shown are kept in
// localStorage when the admin marks them read). URLs become links; nothing else is rendered as markup.
import { Megaphone, Plus, Trash2 } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { removeNewsItem, submitNewsItem } from '@/app/(console)/news-actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Field } from '../../ui/input';
import { FieldError, FieldErrorsProvider, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';

export type NewsItem = { id: string; dateTime: number; text: string; organizationId: string; canRemove: boolean };

const SEEN_KEY = 'halley.news.seen';
const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** Text with its http(s) URLs as links; everything else stays text (React escapes it). */
function linkified(text: string): ReactNode[] {
  return text.split(URL_PATTERN).map((part, i) =>
    i % 2 === 1 ? (
      <a key={i} href={part} target="_blank" rel="noopener noreferrer nofollow" className="break-all text-primary underline underline-offset-2">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

/** The form's text and the server's refusals that concern it (catalogue keys). */
const NEWS_FIELD_ERRORS = { news: ['newsEmpty', 'newsTooLong'] } as const;

export function NewsList({ items, title }: { items: NewsItem[]; title: string }) {
  const t = useTranslations('news');
  const format = useFormatter();
  const router = useRouter();
  const act = useApiAction();
  const [seen, setSeen] = useState<Set<string> | null>(null);
  const [text, setText] = useState('');
  const [writing, setWriting] = useState(false);
  // A refused text is shown under it; the next edit clears it.
  const formRef = useRef<HTMLFormElement>(null);
  const refusal = useFieldRefusal(formRef, act, NEWS_FIELD_ERRORS);
  useEffect(() => {
    let ids: unknown = [];
    try {
      ids = JSON.parse(window.localStorage.getItem(SEEN_KEY) ?? '[]');
    } catch {
      ids = [];
    }
    setSeen(new Set(Array.isArray(ids) ? ids.map(String) : []));
  }, []);
  const isNew = (n: NewsItem) => seen !== null && !seen.has(n.id);
  const unread = items.filter(isNew).length;
  const markRead = () => {
    const ids = items.slice(0, 200).map((n) => n.id);
    window.localStorage.setItem(SEEN_KEY, JSON.stringify(ids));
    setSeen(new Set(ids));
  };
  return (
    <Card data-testid="news-panel">
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle className="flex items-center gap-2">
            <Megaphone className="size-4" aria-hidden="true" />
            {title}
            {unread > 0 && (
              <Badge variant="destructive" data-testid="news-unread" aria-label={t('unreadLabel', { count: unread })}>
                {unread}
              </Badge>
            )}
          </CardTitle>
          <CardDescription>{t('description')}</CardDescription>
        </div>
        <span className="inline-flex flex-wrap justify-end gap-2">
          {unread > 0 && (
            <Button variant="outline" size="sm" onClick={markRead}>
              {t('markRead')}
            </Button>
          )}
          <Button variant="outline" size="sm" onClick={() => setWriting(!writing)}>
            <Plus /> {t('add')}
          </Button>
        </span>
      </CardHeader>
      <CardContent className="grid gap-3">
        {writing && (
          <form
            ref={formRef}
            className="grid gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              act.run(
                () => submitNewsItem(text),
                () => {
                  setText('');
                  setWriting(false);
                  router.refresh();
                },
              );
            }}
          >
            <FieldErrorsProvider errors={refusal.errors}>
            <Field label={t('text')} hint={t('textHint')} error={<FieldError name="news" />}>
              <textarea
                name="news"
                className="min-h-20 rounded-md border bg-background px-3 py-2 text-sm"
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  if (act.error) act.setError('');
                }}
                required
                maxLength={20000}
              />
            </Field>
            </FieldErrorsProvider>
            <Button type="submit" className="justify-self-end" disabled={act.pending}>
              {t('publish')}
            </Button>
          </form>
        )}
        {act.error && !refusal.input && <Alert tone="error">{act.error}</Alert>}
        {items.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('empty')}</p>
        ) : (
          <ul className="grid gap-3">
            {items.slice(0, 10).map((n) => (
              <li key={n.id} className="grid gap-1 border-b pb-3 last:border-b-0 last:pb-0" data-testid="news-item">
                <div className="flex items-center justify-between gap-2 text-xs text-muted-foreground">
                  <span className="inline-flex items-center gap-2">
                    {format.dateTime(new Date(n.dateTime * 1000), { dateStyle: 'medium', timeStyle: 'short' })}
                    {isNew(n) && <Badge variant="secondary">{t('new')}</Badge>}
                  </span>
                  {n.canRemove && (
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={t('remove')}
                      disabled={act.pending}
                      onClick={() => window.confirm(t('removeConfirm')) && act.run(() => removeNewsItem(n.id), () => router.refresh())}
                    >
                      <Trash2 />
                    </Button>
                  )}
                </div>
                <p className="whitespace-pre-wrap text-sm">{linkified(n.text)}</p>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
