'use client';
// Wires the vault, item and rule editors into the user page: one editor open at a time, "Add" buttons
// above each table, and Edit / Duplicate / Delete per row. Every change is one set-user-profile-hash with
// the hash the page was rendered with, so a concurrent change by someone else is reported, not lost.
import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';
import type { BackupSection } from '../../../../app/(console)/users/actions';
import { DESTINATIONTYPE, ENGINE_BUILTIN } from '../../../../lib/comet/constants';
import { Button } from '../../../ui/button';
import { ItemEditor } from './ItemEditor';
import { RuleEditor, newSchedule, type ScheduleContext } from './RuleEditor';
import { VaultEditor } from './VaultEditor';
import { newId, useEntrySave, useIssueText, type Json } from './shared';

type Profile = {
  LocalTimezone?: string;
  Destinations?: Record<string, Json> | null;
  Sources?: Record<string, Json> | null;
  BackupRules?: Record<string, Json> | null;
  Devices?: Record<string, { FriendlyName?: string; DeviceTimezone?: string }> | null;
  Policy?: { RandomDelaySecs?: number } | null;
  ServerConfig?: { RandomDelaySecs?: number } | null;
};
type Mode = 'add' | 'edit' | 'duplicate';
type Open = { section: BackupSection; id: string; value: Json; mode: Mode; from?: string } | null;

export type BackupEditors = {
  username: string;
  hash: string;
  open: (section: BackupSection, mode: Mode, id?: string) => void;
  dialog: ReactNode;
};

const STRIP_ON_COPY = ['CreateTime', 'ModifyTime', 'Statistics'];

export function useBackupEditors({ username, hash, profile, sealed }: { username: string; hash: string; profile: Profile; sealed: Record<string, string[]> }): BackupEditors {
  const t = useTranslations('backupConfig');
  const [current, setCurrent] = useState<Open>(null);
  const vaults = profile.Destinations ?? {};
  const items = profile.Sources ?? {};
  const devices = profile.Devices ?? {};

  function open(section: BackupSection, mode: Mode, id?: string) {
    const entries = (profile[section] ?? {}) as Record<string, Json>;
    if (mode === 'edit' && id) return setCurrent({ section, id, value: entries[id], mode });
    if (mode === 'duplicate' && id) {
      const copy: Json = {};
      for (const [k, v] of Object.entries(entries[id])) if (!STRIP_ON_COPY.includes(k)) copy[k] = v;
      copy.Description = t('copyOf', { name: String(entries[id].Description || id) });
      return setCurrent({ section, id: newId(), value: copy, mode, from: id });
    }
    const fresh: Record<BackupSection, Json> = {
      Destinations: { Description: '', DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_S3, S3UsesTLS: true, StorageLimitEnabled: false, StorageLimitBytes: 0 },
      Sources: { Description: '', Engine: ENGINE_BUILTIN.ENGINE_BUILTIN_FILE, OwnerDevice: Object.keys(devices)[0] ?? '', EngineProps: {}, PreExec: [], PostExec: [] },
      BackupRules: { Description: '', Source: Object.keys(items)[0] ?? '', Destination: Object.keys(vaults)[0] ?? '', Schedules: [newSchedule()], EventTriggers: {} },
    };
    setCurrent({ section, id: newId(), value: fresh[section], mode: 'add' });
  }

  const zoneFor = (itemId: string): ScheduleContext => {
    const owner = String(items[itemId]?.OwnerDevice ?? '');
    return {
      timeZone: devices[owner]?.DeviceTimezone || profile.LocalTimezone || 'UTC',
      policyDelay: profile.Policy?.RandomDelaySecs ?? 0,
      serverDelay: profile.ServerConfig?.RandomDelaySecs ?? 0,
    };
  };

  const close = () => setCurrent(null);
  let dialog: ReactNode = null;
  if (current?.section === 'Destinations') {
    // A duplicate has no stored secrets of its own: the editor asks for them again.
    const vaultState = { id: current.id, vault: current.value, mode: current.mode, sealed: current.mode === 'edit' ? (sealed[current.id] ?? []) : [], copiedSecrets: current.from ? (sealed[current.from]?.length ?? 0) > 0 : false };
    dialog = <VaultEditor key={current.id} username={username} hash={hash} state={vaultState} onClose={close} />;
  } else if (current?.section === 'Sources') {
    dialog = <ItemEditor key={current.id} username={username} hash={hash} state={{ id: current.id, item: current.value, mode: current.mode }} devices={devices} vaults={vaults} onClose={close} />;
  } else if (current?.section === 'BackupRules') {
    dialog = <RuleEditor key={current.id} username={username} hash={hash} state={{ id: current.id, rule: current.value, mode: current.mode }} items={items} vaults={vaults} zoneFor={zoneFor} onClose={close} />;
  }
  return { username, hash, open, dialog };
}

export function ActionsLabel() {
  const t = useTranslations('backupConfig');
  return <>{t('actions')}</>;
}

export function BackupConfigToolbar({ editors, section }: { editors: BackupEditors; section: BackupSection }) {
  const t = useTranslations('backupConfig');
  return (
    <div className="flex justify-end">
      <Button type="button" onClick={() => editors.open(section, 'add')} data-testid={`add-${section}`}>
        {t(`add.${section}`)}
      </Button>
    </div>
  );
}

export function EntryActions({ editors, section, id, name }: { editors: BackupEditors; section: BackupSection; id: string; name: string }) {
  const t = useTranslations('backupConfig');
  const text = useIssueText();
  const { save, pending, error, issues } = useEntrySave(editors.username, editors.hash, section);
  const problem = error || issues.map(text).join(' ');
  return (
    <span className="inline-flex items-center gap-1" data-entry={id}>
      {problem && (
        <span className="me-2 text-xs text-destructive" role="alert">
          {problem}
        </span>
      )}
      <Button type="button" variant="outline" size="sm" onClick={() => editors.open(section, 'edit', id)}>
        {t('edit')}
      </Button>
      <Button type="button" variant="outline" size="sm" onClick={() => editors.open(section, 'duplicate', id)}>
        {t('duplicate')}
      </Button>
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={pending}
        onClick={() => {
          if (window.confirm(t(`deleteConfirm.${section}`, { name }))) save(id, null, () => undefined);
        }}
      >
        {t('delete')}
      </Button>
    </span>
  );
}
