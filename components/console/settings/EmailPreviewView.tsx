'use client';
// A rendered report as its recipient will get it: sender, recipients, subject, and the HTML part (in a
// sandboxed frame: no scripts, no same-origin access) or the plain-text part.
import { useTranslations } from 'next-intl';
import type { EmailPreview } from '../../../app/(console)/settings/email/actions';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../../ui/tabs';

export function EmailPreviewView({ preview }: { preview: EmailPreview }) {
  const t = useTranslations('settings.email.preview');
  return (
    <div className="grid gap-3" data-testid="email-preview">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">{t('from')}</dt>
        <dd>{preview.From || <span className="text-muted-foreground">{t('noFrom')}</span>}</dd>
        <dt className="text-muted-foreground">{t('to')}</dt>
        <dd>{(preview.To ?? []).join(', ') || '—'}</dd>
        <dt className="text-muted-foreground">{t('subject')}</dt>
        <dd className="font-medium" data-testid="email-preview-subject">{preview.EmailSubject}</dd>
      </dl>
      <Tabs defaultValue="html">
        <TabsList>
          <TabsTrigger value="html">{t('html')}</TabsTrigger>
          <TabsTrigger value="text">{t('text')}</TabsTrigger>
        </TabsList>
        <TabsContent value="html">
          <iframe title={t('html')} sandbox="" srcDoc={preview.EmailBodyHTML} className="h-[32rem] w-full rounded-md border bg-white" data-testid="email-preview-html" />
        </TabsContent>
        <TabsContent value="text">
          <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap rounded-md border bg-muted/40 p-3 text-xs" data-testid="email-preview-text">{preview.EmailBodyPlaintext}</pre>
        </TabsContent>
      </Tabs>
    </div>
  );
}
