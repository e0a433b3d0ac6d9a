'use client';
import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { createTenant } from '../../../app/(console)/tenants/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent, DialogTrigger } from '../../ui/dialog';
import { Field, Input } from '../../ui/input';
import { useApiAction } from '../use-api-action';

export function NewTenantDialog() {
  const t = useTranslations('tenants.new');
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
      <DialogContent title={t('title')} description={t('description')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const hosts = String(f.get('hosts') ?? '')
              .split(/[\s,]+/)
              .filter(Boolean);
            run(
              () => createTenant(String(f.get('name')), hosts),
              (data) => {
                setOpen(false);
                router.push(`/tenants/${data.ID}`);
              },
            );
          }}
        >
          <Field label={t('name')}>
            <Input name="name" required autoFocus maxLength={255} />
          </Field>
          <Field label={t('hosts')} hint={t('hostsHint')}>
            <Input name="hosts" placeholder="backup.reseller.example" />
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
