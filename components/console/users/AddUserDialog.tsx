'use client';
import { UserPlus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { addUser } from '../../../app/(console)/users/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent, DialogTrigger } from '../../ui/dialog';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { useApiAction } from '../use-api-action';

export function AddUserDialog({ tenants, openInitially }: { tenants: Array<{ id: string; name: string }> | null; openInitially: boolean }) {
  const t = useTranslations('users.add');
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
            const username = String(f.get('username'));
            run(
              () => addUser({ username, password: String(f.get('password')), organization: f.get('organization') ? String(f.get('organization')) : undefined, requirePasswordChange: f.get('requireChange') === 'on' }),
              () => {
                setOpen(false);
                router.push(`/users/${encodeURIComponent(username)}`);
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
          {tenants && (
            <Field label={t('tenant')}>
              <NativeSelect name="organization" defaultValue="">
                {tenants.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name || o.id}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )}
          <label className="flex items-center gap-2 text-sm">
            <Checkbox name="requireChange" /> {t('requireChange')}
          </label>
          {error && <Alert tone="error">{error}</Alert>}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {tc('cancel')}
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? tc('saving') : t('submit')}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
