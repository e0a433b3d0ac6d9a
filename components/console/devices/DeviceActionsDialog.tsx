'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { profileChoices, sendDeviceCommand, type CommandAnswer, type DeviceCommand, type ProfileChoices } from '../../../app/(console)/devices/actions';
import type { DeviceState } from '../../../lib/live/list-device-states';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { useApiAction } from '../use-api-action';

/** Every dispatcher command, in the order the dialog offers them. */
const COMMANDS: DeviceCommand[] = [
  'run-backup',
  'run-backup-custom',
  'run-restore',
  'apply-retention-rules',
  'ping-destination',
  'refetch-profile',
  'update-software',
  'update-login-url',
  'drop-connection',
  'kill-process',
  'force-login',
  'uninstall-software',
];

/** The ping-destination choice that tests a folder on the device instead of a stored vault. */
const FOLDER = '__device-folder__';

/** Commands that make sense for a device that is not connected (queued until it connects; Halley extension). */
const QUEUEABLE = new Set<DeviceCommand>(['run-backup', 'run-backup-custom', 'apply-retention-rules', 'refetch-profile', 'update-software', 'update-login-url', 'uninstall-software']);

export function DeviceActionsDialog({ device, onClose }: { device: DeviceState; onClose: () => void }) {
  const t = useTranslations('devices.dialog');
  const tc = useTranslations('common');
  const router = useRouter();
  const [command, setCommand] = useState<DeviceCommand>(device.Online ? 'run-backup' : 'refetch-profile');
  const [choices, setChoices] = useState<ProfileChoices>({ rules: [], items: [], vaults: [] });
  const [answer, setAnswer] = useState<CommandAnswer | null>(null);
  // ping-destination: one of the account's vaults (tested with its stored credentials) or a folder on the device.
  const [pingTarget, setPingTarget] = useState<string>('');
  const { run, pending, error, setError } = useApiAction();
  const load = useApiAction();

  useEffect(() => {
    load.run(() => profileChoices(device.Username), setChoices);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [device.Username]);

  const available = device.Online ? COMMANDS : COMMANDS.filter((c) => QUEUEABLE.has(c));
  const needs = {
    rule: command === 'run-backup',
    item: command === 'run-backup-custom' || command === 'run-restore',
    vault: command === 'run-backup-custom' || command === 'run-restore' || command === 'apply-retention-rules',
  };

  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={t('title', { name: device.FriendlyName || device.DeviceID })} description={device.Online ? t('online') : t('offline')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const value = (name: string) => String(f.get(name) ?? '');
            const params: Record<string, string | boolean | object> = { TargetID: device.Online ? device.ConnectionID : device.DeviceID };
            if (!device.Online) params.QueueIfOffline = true;
            if (needs.rule) params.BackupRule = value('rule');
            if (needs.item) params.Source = value('item');
            if (needs.vault) params.Destination = value('vault');
            if (command === 'run-restore') params.Path = value('path');
            if (command === 'ping-destination') {
              const vault = pingTarget || choices.vaults[0]?.id || FOLDER;
              if (vault === FOLDER) params.ExtraData = { DestinationType: 1002, LocalcopyPath: value('path') };
              else Object.assign(params, { ExtraData: {}, Destination: vault });
            }
            if (command === 'update-login-url') {
              params.NewURL = value('url');
              params.Force = f.get('force') === 'on';
            }
            if (command === 'uninstall-software') params.RemoveConfigFile = f.get('removeConfig') === 'on';
            setAnswer(null);
            run(
              () => sendDeviceCommand(command, params),
              (a) => {
                setAnswer(a);
                router.refresh();
              },
            );
          }}
        >
          <Field label={t('command')}>
            <NativeSelect
              name="command"
              value={command}
              onChange={(e) => {
                setCommand(e.target.value as DeviceCommand);
                setAnswer(null);
                setError('');
              }}
            >
              {available.map((c) => (
                <option key={c} value={c}>
                  {t(`commands.${c}`)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <p className="text-sm text-muted-foreground">{t(`hints.${command}`)}</p>
          {needs.rule && (
            <Field label={t('rule')}>
              <NativeSelect name="rule" required>
                {choices.rules.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )}
          {needs.item && (
            <Field label={t('item')}>
              <NativeSelect name="item" required>
                {choices.items.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )}
          {needs.vault && (
            <Field label={t('vault')}>
              <NativeSelect name="vault" required>
                {choices.vaults.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )}
          {command === 'ping-destination' && (
            <Field label={t('pingTarget')}>
              <NativeSelect name="pingTarget" value={pingTarget || choices.vaults[0]?.id || FOLDER} onChange={(e) => setPingTarget(e.target.value)}>
                {choices.vaults.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
                <option value={FOLDER}>{t('pingFolder')}</option>
              </NativeSelect>
            </Field>
          )}
          {(command === 'run-restore' || (command === 'ping-destination' && (pingTarget || choices.vaults[0]?.id || FOLDER) === FOLDER)) && (
            <Field label={t('path')}>
              <Input name="path" required />
            </Field>
          )}
          {command === 'update-login-url' && (
            <>
              <Field label={t('url')}>
                <Input name="url" type="url" required placeholder="https://backup.example.com/" />
              </Field>
              <label className="flex items-center gap-2 text-sm">
                <Checkbox name="force" /> {t('force')}
              </label>
            </>
          )}
          {command === 'uninstall-software' && (
            <label className="flex items-center gap-2 text-sm">
              <Checkbox name="removeConfig" /> {t('removeConfig')}
            </label>
          )}
          {error && <Alert tone="error">{error}</Alert>}
          {answer && (
            <Alert tone="success" role="status">
              {answer.JobID ? t('answerWithJob', { message: answer.Message, job: answer.JobID }) : answer.Message}
            </Alert>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={onClose}>
              {tc('close')}
            </Button>
            <Button type="submit" disabled={pending}>
              {t('send')}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
