'use client';
import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { createTenant } from '../../../app/(console)/tenants/actions';
import { Field, Input } from '../../ui/input';
import { FieldError } from '../field-errors';
import { FormDialog } from '../FormDialog';

export function NewTenantDialog() {
  const t = useTranslations('tenants.new');
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <>
          <Plus /> {t('button')}
        </>
      }
      title={t('title')}
      description={t('description')}
      submitLabel={t('submit')}
      action={(f) =>
        createTenant(
          String(f.get('name')),
          String(f.get('hosts') ?? '')
            .split(/[\s,]+/)
            .filter(Boolean),
        )
      }
      fields={{ name: ['.Name'], hosts: ['.Hosts[', 'hostUsedByOrganization', 'hostUsedByAnother'] }}
      onDone={(data) => router.push(`/tenants/${data.ID}`)}
    >
      <Field label={t('name')} error={<FieldError name="name" />}>
        <Input name="name" required autoFocus maxLength={255} />
      </Field>
      <Field label={t('hosts')} hint={t('hostsHint')} error={<FieldError name="hosts" />}>
        <Input name="hosts" placeholder="backup.reseller.example" />
      </Field>
    </FormDialog>
  );
}
