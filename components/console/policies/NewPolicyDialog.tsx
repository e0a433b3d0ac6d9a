'use client';
import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { createPolicy } from '../../../app/(console)/policies/actions';
import { Field, Input, NativeSelect } from '../../ui/input';
import { FormDialog } from '../FormDialog';

export function NewPolicyDialog({ tenants }: { tenants: Array<{ id: string; name: string }> | null }) {
  const t = useTranslations('policies.new');
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
      action={(f) => createPolicy(String(f.get('name')), tenants ? String(f.get('organization') ?? '') : undefined)}
      onDone={(data) => router.push(`/policies/${data.PolicyID}`)}
    >
      <Field label={t('name')}>
        <Input name="name" required autoFocus maxLength={255} />
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
