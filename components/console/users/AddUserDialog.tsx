'use client';
import { UserPlus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { addUser } from '../../../app/(console)/users/actions';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { FieldError, PASSWORD_ERROR_KEYS } from '../field-errors';
import { FormDialog } from '../FormDialog';

export function AddUserDialog({ tenants, openInitially }: { tenants: Array<{ id: string; name: string }> | null; openInitially: boolean }) {
  const t = useTranslations('users.add');
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <>
          <UserPlus /> {t('button')}
        </>
      }
      title={t('title')}
      description={t('description')}
      submitLabel={t('submit')}
      openInitially={openInitially}
      fields={{ username: ['usernameInvalid', 'usernameInUse'], password: PASSWORD_ERROR_KEYS }}
      action={(f) =>
        addUser({
          username: String(f.get('username')),
          password: String(f.get('password')),
          organization: f.get('organization') ? String(f.get('organization')) : undefined,
          requirePasswordChange: f.get('requireChange') === 'on',
        })
      }
      onDone={(_data, f) => router.push(`/users/${encodeURIComponent(String(f.get('username')))}`)}
    >
      <Field label={t('username')} error={<FieldError name="username" />}>
        <Input name="username" required autoFocus maxLength={255} autoComplete="off" />
      </Field>
      <Field label={t('password')} error={<FieldError name="password" />}>
        <Input name="password" type="password" required autoComplete="new-password" />
      </Field>
      {tenants && (
        <Field label={t('tenant')}>
          <NativeSelect name="organization" defaultValue="">
            {tenants.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
      )}
      <label className="flex items-center gap-2 text-sm">
        <Checkbox name="requireChange" /> {t('requireChange')}
      </label>
    </FormDialog>
  );
}
