'use client';
import { UserPlus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { createAdmin } from '../../../app/(console)/admins/actions';
import { Field, Input, NativeSelect } from '../../ui/input';
import { FieldError, PASSWORD_ERROR_KEYS } from '../field-errors';
import { FormDialog } from '../FormDialog';

export function NewAdminDialog({ tenants, openInitially, initialTenant }: { tenants: Array<{ id: string; name: string }>; openInitially: boolean; initialTenant: string }) {
  const t = useTranslations('admins.new');
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
      fields={{ username: ['usernameInvalid', 'adminExists'], password: PASSWORD_ERROR_KEYS }}
      action={(f) => createAdmin({ username: String(f.get('username')), password: String(f.get('password')), organization: String(f.get('organization') ?? '') })}
      onDone={() => router.replace('/admins')}
    >
      <Field label={t('username')} error={<FieldError name="username" />}>
        <Input name="username" required autoFocus maxLength={255} autoComplete="off" />
      </Field>
      <Field label={t('password')} error={<FieldError name="password" />}>
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
    </FormDialog>
  );
}
