'use client';
import { UserPlus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { createAdmin } from '../../../app/(console)/admins/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent, DialogTrigger } from '../../ui/dialog';
import { Field, Input, NativeSelect } from '../../ui/input';
import { useApiAction } from '../use-api-action';

export function NewAdminDialog({ tenants, openInitially, initialTenant }: { tenants: Array<{ id: string; name: string }>; openInitially: boolean; initialTenant: string }) {
  const t = useTranslations('admins.new');
  const tc = useTranslations('common');
  const router = useRouter();
  const [open, setOpen] = useState(openInitially);
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
        <Button>
          <UserPlus /> {t('button')}
        </Button>
      </DialogTrigger>
      <DialogContent title={t('title')} description={t('description')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            run(
              () => createAdmin({ username: String(f.get('username')), password: String(f.get('password')), organization: String(f.get('organization') ?? '') }),
              () => {
                setOpen(false);
                router.replace('/admins');
              },
            );
          }}
        >
          <Field label={t('username')}>
            <Input name="username" required autoFocus maxLength={255} autoComplete="off" />
          </Field>
          <Field label={t('password')}>
            <Input name="password" type="password" required autoComplete="new-password" />
          </Field>
          <Field label={t('tenant')} hint={t('tenantHint')}>
            <NativeSelect name="organization" defaultValue={initialTenant}>
              {tenants.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          {error && <Alert tone="error">{error}</Alert>}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {tc('cancel')}
            </Button>
            <Button type="submit" disabled={pending}>
              {t('submit')}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
