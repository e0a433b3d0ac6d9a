'use client';
// The console's "create something" dialog: a trigger button, a form whose submit runs one server action
// (errors the admin can fix shown inside, internal ones in the error popup), Cancel and Submit buttons.
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/adapters/console/session';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Dialog, DialogContent, DialogTrigger } from '../ui/dialog';
import { clearFlags, FieldErrorsProvider, fieldForError, flagField, type FieldErrorMap } from './field-errors';
import { useApiAction } from './use-api-action';
import { useUnsavedWarning } from './use-unsaved-warning';

/** Cancel + submit, right-aligned, as every console dialog ends. */
export function DialogActions({ onCancel, submitLabel, pending, destructive }: { onCancel: () => void; submitLabel: string; pending: boolean; destructive?: boolean }) {
  const tc = useTranslations('common');
  return (
    <div className="sticky bottom-0 -mx-1 flex flex-wrap justify-end gap-2 bg-background px-1 pt-1">
      <Button type="button" variant="outline" onClick={onCancel}>
        {tc('cancel')}
      </Button>
      <Button type="submit" variant={destructive ? 'destructive' : 'default'} disabled={pending}>
        {submitLabel}
      </Button>
    </div>
  );
}

export function FormDialog<T>(props: {
  trigger: ReactNode;
  title: string;
  description?: string;
  submitLabel: string;
  openInitially?: boolean;
  /** Runs the server action with the form's values. */
  action: (form: FormData) => Promise<ActionResult<T>>;
  /** After success (the dialog is already closed). */
  onDone: (data: T, form: FormData) => void;
  /** Input name → catalogue keys of errors shown next to that input (field-errors.tsx). */
  fields?: FieldErrorMap;
  children: ReactNode;
}) {
  const tc = useTranslations('common');
  const tv = useTranslations('validation');
  const [open, setOpen] = useState(props.openInitially ?? false);
  const { run, pending, error, errorKey, errorField, errorDetail, errorFieldFree, setError } = useApiAction();
  const formRef = useRef<HTMLFormElement>(null);
  // Typed-in values are not thrown away by a stray Escape or click outside: closing asks first.
  const [dirty, setDirty] = useState(false);
  useUnsavedWarning(open && dirty);
  const field = error ? fieldForError(errorKey, props.fields, errorField) : undefined;
  useEffect(() => flagField(formRef.current, field), [field, error]);
  function close(o: boolean) {
    if (!o && dirty && !window.confirm(tv('discardChanges'))) return;
    setOpen(o);
    setDirty(false);
    setError('');
  }
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogTrigger asChild>
        <Button>{props.trigger}</Button>
      </DialogTrigger>
      <DialogContent title={props.title} description={props.description} closeLabel={tc('close')}>
        <form
          ref={formRef}
          className="grid gap-4"
          onChange={() => {
            setDirty(true);
            // A message about the previous attempt no longer applies once the admin edits.
            if (error) {
              setError('');
              clearFlags(formRef.current);
            }
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            run(
              () => props.action(form),
              (data) => {
                setDirty(false);
                setOpen(false);
                props.onDone(data, form);
              },
            );
          }}
        >
          {/* Next to its input, the message says what is wrong without the API's parameter name. */}
          <FieldErrorsProvider errors={field ? { [field]: errorDetail || errorFieldFree || error } : {}}>{props.children}</FieldErrorsProvider>
          {error && !field && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={() => close(false)} submitLabel={props.submitLabel} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
