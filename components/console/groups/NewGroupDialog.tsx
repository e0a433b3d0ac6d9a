'use client';
import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { createGroup } from '../../../app/(console)/groups/actions';
import { Field, Input, NativeSelect } from '../../ui/input';
import { FormDialog } from '../FormDialog';

export function NewGroupDialog({ tenants }: { tenants: Array<{ id: string; name: string }> | null }) {
  const t = useTranslations('groups.new');
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <>
          <Plus /> {t('button')}
        </>
      }
      title={t('title')}
      submitLabel={t('submit')}
      action={(f) => createGroup(String(f.get('name')), tenants ? String(f.get('organization') ?? '') : undefined)}
      onDone={(data) => router.push(`/groups/${data.UserGroupID}`)}
    >
      <Field label={t('name')}>
        <Input name="name" required autoFocus maxLength={200} />
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
    </FormDialog>
  );
}
