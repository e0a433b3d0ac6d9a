'use client';
// Account actions on the user page: reset password, transfer to another tenant (top-level admins;
// devices that are not connected are listed because they must be re-pointed by hand), delete.
import { ArrowRightLeft, KeyRound, MoreHorizontal, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deleteUser, resetPassword, transferUser } from '../../../app/(console)/users/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from '../../ui/dropdown-menu';
import { Field, Input, NativeSelect } from '../../ui/input';
import { FieldError, FieldErrorsProvider, fieldForError, PASSWORD_ERROR_KEYS } from '../field-errors';
import { DialogActions } from '../FormDialog';
import { useApiAction } from '../use-api-action';

type Which = 'password' | 'transfer' | 'delete' | null;

export function UserActions({ username, tenants, currentOrganization, deviceCount }: { username: string; tenants: Array<{ id: string; name: string }> | null; currentOrganization: string; deviceCount: number }) {
  const t = useTranslations('userDetail.actions');
  const tc = useTranslations('common');
  const router = useRouter();
  const [open, setOpen] = useState<Which>(null);
  const [done, setDone] = useState('');
  const [offline, setOffline] = useState<Array<{ DeviceID: string; FriendlyName: string }> | null>(null);
  const { run, pending, error, errorKey, setError } = useApiAction();
  const passwordError = fieldForError(errorKey, { password: PASSWORD_ERROR_KEYS }) ? error : '';
  const close = () => {
    setOpen(null);
    setError('');
  };
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            <MoreHorizontal /> {t('menu')}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setOpen('password')}>
            <KeyRound /> {t('resetPassword')}
          </DropdownMenuItem>
          {tenants && (
            <DropdownMenuItem onSelect={() => setOpen('transfer')}>
              <ArrowRightLeft /> {t('transfer')}
            </DropdownMenuItem>
          )}
          <DropdownMenuSeparator />
          <DropdownMenuItem className="text-destructive focus:text-destructive" onSelect={() => setOpen('delete')}>
            <Trash2 /> {t('delete')}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {done && (
        <Alert tone="success" className="basis-full">
          {done}
          {offline && offline.length > 0 && (
            <span className="mt-1 block text-foreground" data-testid="offline-devices">
              {t('offlineDevices', { names: offline.map((d) => d.FriendlyName || d.DeviceID).join(', ') })}
            </span>
          )}
        </Alert>
      )}

      <Dialog open={open === 'password'} onOpenChange={(o) => !o && close()}>
        <DialogContent title={t('resetPassword')} description={t('resetPasswordText', { username })} closeLabel={tc('close')}>
          <form
            className="grid gap-4"
            onChange={() => error && setError('')}
            onSubmit={(e) => {
              e.preventDefault();
              const pw = String(new FormData(e.currentTarget).get('password'));
              run(
                () => resetPassword(username, pw),
                () => {
                  close();
                  setOffline(null);
                  setDone(t('passwordChanged'));
                },
              );
            }}
          >
            <FieldErrorsProvider errors={{ password: passwordError }}>
              <Field label={t('newPassword')} error={<FieldError name="password" />}>
                <Input name="password" type="password" required autoComplete="new-password" autoFocus aria-invalid={passwordError ? true : undefined} aria-describedby={passwordError ? 'field-error-password' : undefined} />
              </Field>
            </FieldErrorsProvider>
            {error && !passwordError && <Alert tone="error">{error}</Alert>}
            <DialogActions onCancel={close} submitLabel={t('resetPassword')} pending={pending} />
          </form>
        </DialogContent>
      </Dialog>

      {tenants && (
        <Dialog open={open === 'transfer'} onOpenChange={(o) => !o && close()}>
          <DialogContent title={t('transfer')} description={t('transferText', { username })} closeLabel={tc('close')}>
            <form
              className="grid gap-4"
              onSubmit={(e) => {
                e.preventDefault();
                const org = String(new FormData(e.currentTarget).get('organization'));
                run(
                  () => transferUser(username, org),
                  (data) => {
                    close();
                    setOffline(data.OfflineDevices);
                    setDone(t('transferred', { tenant: tenants.find((x) => x.id === org)?.name ?? org }));
                    router.refresh();
                  },
                );
              }}
            >
              <Field label={t('targetTenant')}>
                <NativeSelect name="organization" defaultValue={tenants.find((x) => x.id !== currentOrganization)?.id ?? ''}>
                  {tenants
                    .filter((x) => x.id !== currentOrganization)
                    .map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name || x.id}
                      </option>
                    ))}
                </NativeSelect>
              </Field>
              {deviceCount > 0 && <Alert tone="warning">{t('transferDeviceWarning', { count: deviceCount })}</Alert>}
              {error && <Alert tone="error">{error}</Alert>}
              <DialogActions onCancel={close} submitLabel={t('transfer')} pending={pending} />
            </form>
          </DialogContent>
        </Dialog>
      )}

      <Dialog open={open === 'delete'} onOpenChange={(o) => !o && close()}>
        <DialogContent title={t('deleteTitle', { username })} description={t('deleteText')} closeLabel={tc('close')}>
          <form
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              run(
                () => deleteUser(username),
                () => {
                  close();
                  router.push('/users');
                },
              );
            }}
          >
            <Field label={t('deleteConfirmLabel', { username })}>
              <Input name="confirm" required pattern={username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} autoComplete="off" />
            </Field>
            {error && <Alert tone="error">{error}</Alert>}
            <DialogActions onCancel={close} submitLabel={t('delete')} pending={pending} destructive />
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
