'use client';
// A group's name and members (one username per line); saving makes the members exactly these users, and a user
// added here leaves the group it was in before.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { deleteGroup, saveGroup } from '../../../app/(console)/groups/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent } from '../../ui/card';
import { Field, Input, Textarea } from '../../ui/input';
import { FieldError, FieldErrorsProvider, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

/** The form's inputs and the server's refusals that concern them (API field suffixes and catalogue keys). */
const GROUP_FIELD_ERRORS = { name: ['.Name', 'groupNameNotString'], users: ['userNotFound'] } as const;

export function GroupEditor({ id, name, users }: { id: string; name: string; users: string[] }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('groups.editor');
  const tc = useTranslations('common');
  const router = useRouter();
  const action = useApiAction();
  const { run, pending, error, setError } = action;
  const [saved, setSaved] = useState(false);
  const [nameError, setNameError] = useState('');
  // A refused name or member is shown next to its input, without the API's field name.
  const formRef = useRef<HTMLFormElement>(null);
  const refusal = useFieldRefusal(formRef, action, GROUP_FIELD_ERRORS);
  const errors = nameError ? { name: nameError } : refusal.errors;
  return (
    <Card className="max-w-2xl">
      <CardContent className="pt-6">
        <form
          ref={formRef}
          onChange={() => {
            unsaved.markDirty();
            // "Saved" and a refusal speak of the previous attempt.
            setSaved(false);
            setNameError('');
            if (error) setError('');
          }}
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
          <FieldErrorsProvider errors={errors}>
            <Field label={t('name')} error={<FieldError name="name" />}>
              <Input name="name" defaultValue={name} required maxLength={200} aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? 'field-error-name' : undefined} />
            </Field>
            <Field label={t('users')} hint={t('usersHint')} error={<FieldError name="users" />}>
              <Textarea name="users" rows={8} defaultValue={users.join('\n')} />
            </Field>
          </FieldErrorsProvider>
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
          {error && !refusal.input && <Alert tone="error">{error}</Alert>}
        </form>
      </CardContent>
    </Card>
  );
}
