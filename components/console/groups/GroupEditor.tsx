'use client';
// A group's name and members (one username per line); saving makes the members exactly these users, and a user
// added here leaves the group it was in before.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deleteGroup, saveGroup } from '../../../app/(console)/groups/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent } from '../../ui/card';
import { Field, Input, Textarea } from '../../ui/input';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

export function GroupEditor({ id, name, users }: { id: string; name: string; users: string[] }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('groups.editor');
  const tc = useTranslations('common');
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  const [saved, setSaved] = useState(false);
  const [nameError, setNameError] = useState('');
  return (
    <Card className="max-w-2xl">
      <CardContent className="pt-6">
        <form
          onChange={unsaved.markDirty}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const newName = String(f.get('name') ?? '').trim();
            setSaved(false);
            if (!newName) return setNameError(t('nameRequired'));
            setNameError('');
            const members = String(f.get('users') ?? '').split(/[\s,]+/).filter(Boolean);
            run(() => saveGroup(id, newName, members), () => {
              unsaved.markClean();
              setSaved(true);
            });
          }}
        >
          <Field label={t('name')}>
            <Input name="name" defaultValue={name} maxLength={200} aria-invalid={!!nameError} />
            {nameError && (
              <span role="alert" className="text-xs text-destructive">
                {nameError}
              </span>
            )}
          </Field>
          <Field label={t('users')} hint={t('usersHint')}>
            <Textarea name="users" rows={8} defaultValue={users.join('\n')} />
          </Field>
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={pending}>
              {pending ? tc('saving') : tc('save')}
            </Button>
            <Button type="button" variant="outline" disabled={pending} onClick={() => window.confirm(t('deleteConfirm')) && run(() => deleteGroup(id), () => router.push('/groups'))}>
              {t('delete')}
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
