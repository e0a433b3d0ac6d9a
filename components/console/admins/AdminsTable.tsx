'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deleteAdmin, setPermissions } from '../../../app/(console)/admins/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Checkbox } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { DialogActions } from '../FormDialog';
import { useDirtyDialog } from '../use-unsaved-warning';
import { useApiAction } from '../use-api-action';

export type AdminRow = {
  Username: string;
  OrganizationID: string;
  ExternalAuthenticationSource: string;
  AllowPasswordAndTOTPLogin: boolean;
  AllowPasswordAndWebAuthnLogin: boolean;
  WebAuthnRegistrations: unknown[] | null;
  Permissions: Record<string, unknown>;
};

/** The AdminUserPermissions switches the console offers (Comet's names). */
const PERMISSION_FLAGS = [
  'PreventEditServerSettings',
  'PreventChangePassword',
  'AllowEditBranding',
  'AllowEditEmailOptions',
  'AllowEditWebhooks',
  'AllowEditRemoteStorage',
  'AllowEditExternalAuthSources',
  'DenyViewServerHistory',
  'DenyViewServerInfo',
  'PreventDeleteStorageVault',
  'PreventRequestStorageVault',
  'PreventAddCustomStorageVault',
] as const;
type Flag = (typeof PERMISSION_FLAGS)[number];

export function AdminsTable({ admins, tenants, self }: { admins: AdminRow[]; tenants: Array<{ id: string; name: string }>; self: string }) {
  const t = useTranslations('admins');
  const router = useRouter();
  const [editing, setEditing] = useState<AdminRow | null>(null);
  const del = useApiAction();
  const tenantName = (id: string) => tenants.find((x) => x.id === id)?.name ?? id;
  return (
    <>
      {del.error && <Alert tone="error" className="mb-3">{del.error}</Alert>}
      <div className="rounded-lg border bg-card">
        <Table>
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t('username')}</TH>
              <TH>{t('tenant')}</TH>
              <TH>{t('signIn')}</TH>
              <TH>{t('permissions')}</TH>
              <TH className="text-end">{t('actions')}</TH>
            </TR>
          </THead>
          <TBody>
            {admins.map((a) => {
              const granted = PERMISSION_FLAGS.filter((f) => a.Permissions?.[f] === true);
              return (
                <TR key={a.Username}>
                  <TD className="font-medium">
                    {a.Username} {a.Username === self && <Badge variant="secondary">{t('you')}</Badge>}
                  </TD>
                  <TD>{tenantName(a.OrganizationID)}</TD>
                  <TD className="flex flex-wrap gap-1">
                    {a.ExternalAuthenticationSource ? <Badge variant="outline">LDAP</Badge> : <Badge variant="outline">{t('password')}</Badge>}
                    {a.AllowPasswordAndTOTPLogin && <Badge>TOTP</Badge>}
                    {a.AllowPasswordAndWebAuthnLogin && <Badge>WebAuthn</Badge>}
                  </TD>
                  <TD className="text-muted-foreground">{granted.length ? granted.map((f) => t(`flags.${f}`)).join(', ') : t('defaults')}</TD>
                  <TD className="text-end">
                    {a.Username !== self && (
                      <span className="inline-flex gap-2">
                        <Button variant="outline" size="sm" onClick={() => setEditing(a)}>
                          {t('editPermissions')}
                        </Button>
                        <Button
                          variant="outline"
                          size="sm"
                          className="text-destructive"
                          disabled={del.pending}
                          onClick={() => {
                            if (!window.confirm(t('deleteConfirm', { username: a.Username }))) return;
                            del.run(
                              () => deleteAdmin(a.Username),
                              () => router.refresh(),
                            );
                          }}
                        >
                          {t('delete')}
                        </Button>
                      </span>
                    )}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      </div>
      {editing && <PermissionsDialog admin={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function PermissionsDialog({ admin, onClose }: { admin: AdminRow; onClose: () => void }) {
  const t = useTranslations('admins');
  const tc = useTranslations('common');
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  const unsaved = useDirtyDialog(onClose);
  return (
    <Dialog open onOpenChange={(o) => !o && unsaved.requestClose()}>
      <DialogContent title={t('permissionsTitle', { username: admin.Username })} description={t('permissionsText')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onChange={unsaved.markDirty}
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            // Other permission fields (provider lists, allowed policies) are kept as they are.
            const next: Record<string, boolean> = { ...(admin.Permissions as Record<string, boolean>) };
            for (const flag of PERMISSION_FLAGS) next[flag] = f.get(flag) === 'on';
            run(
              () => setPermissions(admin.Username, next),
              () => {
                unsaved.markClean();
                onClose();
                router.refresh();
              },
            );
          }}
        >
          <div className="grid gap-2 sm:grid-cols-2">
            {PERMISSION_FLAGS.map((flag: Flag) => (
              <label key={flag} className="flex items-start gap-2 text-sm">
                <Checkbox name={flag} defaultChecked={admin.Permissions?.[flag] === true} className="mt-0.5" /> {t(`flags.${flag}`)}
              </label>
            ))}
          </div>
          {error && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={unsaved.requestClose} submitLabel={tc('save')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
