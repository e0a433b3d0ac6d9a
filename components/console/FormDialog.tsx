'use client';
// The console's "create something" dialog: a trigger button, a form whose submit runs one server action
// (errors the admin can fix shown inside, internal ones in the error popup), Cancel and Submit buttons.
import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/adapters/console/session';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Dialog, DialogContent, DialogTrigger } from '../ui/dialog';
import { useApiAction } from './use-api-action';

/** Cancel + submit, right-aligned, as every console dialog ends. */
export function DialogActions({ onCancel, submitLabel, pending, destructive }: { onCancel: () => void; submitLabel: string; pending: boolean; destructive?: boolean }) {
  const tc = useTranslations('common');
  return (
    <div className="flex justify-end gap-2">
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
  children: ReactNode;
}) {
  const tc = useTranslations('common');
  const [open, setOpen] = useState(props.openInitially ?? false);
  const { run, pending, error, setError } = useApiAction();
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        setError('');
      }}
    >
      <DialogTrigger asChild>
        <Button>{props.trigger}</Button>
      </DialogTrigger>
      <DialogContent title={props.title} description={props.description} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            run(
              () => props.action(form),
              (data) => {
                setOpen(false);
                props.onDone(data, form);
              },
            );
          }}
        >
          {props.children}
          {error && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={() => setOpen(false)} submitLabel={props.submitLabel} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
