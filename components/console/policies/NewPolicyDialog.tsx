'use client';
import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { createPolicy } from '../../../app/(console)/policies/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent, DialogTrigger } from '../../ui/dialog';
import { Field, Input, NativeSelect } from '../../ui/input';
import { useApiAction } from '../use-api-action';

export function NewPolicyDialog({ tenants }: { tenants: Array<{ id: string; name: string }> | null }) {
  const t = useTranslations('policies.new');
  const tc = useTranslations('common');
  const router = useRouter();
  const [open, setOpen] = useState(false);
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
          <Plus /> {t('button')}
        </Button>
      </DialogTrigger>
      <DialogContent title={t('title')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            run(
              () => createPolicy(String(f.get('name')), tenants ? String(f.get('organization') ?? '') : undefined),
              (data) => {
                setOpen(false);
                router.push(`/policies/${data.PolicyID}`);
              },
            );
          }}
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
