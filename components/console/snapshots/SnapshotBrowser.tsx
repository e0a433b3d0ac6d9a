'use client';
// A device's snapshots (issue 15): pick a vault, pick a snapshot, browse it folder by folder, restore the
// selected items into a folder on the device, delete a snapshot (confirmed), or deep-verify the vault.
// Everything goes through the dispatcher endpoints to the live device.
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { profileChoices, type ProfileChoices } from '../../../app/(console)/devices/actions';
import {
  deleteSnapshot,
  deviceConnection,
  restoreItems,
  storedObjects,
  vaultSnapshots,
  verifyVault,
  type StoredObject,
  type VaultSnapshot,
} from '../../../app/(console)/users/snapshot-actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { useFormat } from '../format';
import { useApiAction } from '../use-api-action';

type Crumb = { name: string; treeId: string };

export function SnapshotBrowserButton({ username, deviceId, name }: { username: string; deviceId: string; name: string }) {
  const t = useTranslations('snapshots');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        {t('open')}
      </Button>
      {open && <SnapshotBrowser username={username} deviceId={deviceId} name={name} onClose={() => setOpen(false)} />}
    </>
  );
}

function SnapshotBrowser({ username, deviceId, name, onClose }: { username: string; deviceId: string; name: string; onClose: () => void }) {
  const t = useTranslations('snapshots');
  const tc = useTranslations('common');
  const format = useFormatter();
  const fmt = useFormat();
  const [conn, setConn] = useState<string | null>(null);
  const [choices, setChoices] = useState<ProfileChoices>({ rules: [], items: [], vaults: [] });
  const [vault, setVault] = useState('');
  const [snapshots, setSnapshots] = useState<VaultSnapshot[] | null>(null);
  const [snapshot, setSnapshot] = useState<VaultSnapshot | null>(null);
  const [crumbs, setCrumbs] = useState<Crumb[]>([]);
  const [objects, setObjects] = useState<StoredObject[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState('');
  const load = useApiAction();
  const act = useApiAction();

  useEffect(() => {
    load.run(
      () => deviceConnection(username, deviceId),
      (c) => {
        setConn(c);
        if (c) {
          load.run(
            () => profileChoices(username),
            (ch) => {
              setChoices(ch);
              if (ch.vaults[0]) setVault(ch.vaults[0].id);
            },
          );
        }
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [username, deviceId]);

  useEffect(() => {
    if (!conn || !vault) return;
    setSnapshot(null);
    setSnapshots(null);
    load.run(() => vaultSnapshots(conn, vault), setSnapshots);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conn, vault]);

  const itemName = (id: string) => choices.items.find((i) => i.id === id)?.name ?? id;
  const when = (s: number) => format.dateTime(new Date(s * 1000), { dateStyle: 'medium', timeStyle: 'medium' });
  const pathOf = (o: StoredObject) => [...crumbs.slice(1).map((c) => c.name), o.name].join('/');

  function browse(s: VaultSnapshot, trail: Crumb[]) {
    if (!conn) return;
    setNotice('');
    load.run(
      () => storedObjects(conn, vault, s.Snapshot, trail.at(-1)!.treeId),
      (objs) => {
        setSnapshot(s);
        setCrumbs(trail);
        setObjects(objs);
      },
    );
  }

  function toggle(p: string) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(p)) next.delete(p);
      else next.add(p);
      return next;
    });
  }

  const error = load.error || act.error;
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-3xl" title={t('title', { name })} description={t('description')} closeLabel={tc('close')}>
        {conn === '' && <Alert tone="warning">{t('offline')}</Alert>}
        {conn && (
          <div className="grid max-h-[70vh] gap-4 overflow-y-auto">
            <div className="flex items-end gap-2">
              <Field label={t('vault')} className="flex-1">
                <NativeSelect
                  name="vault"
                  value={vault}
                  onChange={(e) => {
                    setVault(e.target.value);
                    setSelected(new Set());
                  }}
                >
                  {choices.vaults.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
              <Button
                type="button"
                variant="outline"
                disabled={act.pending || !vault}
                onClick={() => {
                  setNotice('');
                  act.run(
                    () => verifyVault(conn, vault),
                    () => setNotice(t('verifyStarted')),
                  );
                }}
              >
                {t('verify')}
              </Button>
            </div>
            {!snapshot && snapshots && snapshots.length === 0 && <p className="text-sm text-muted-foreground">{t('none')}</p>}
            {!snapshot && snapshots && snapshots.length > 0 && (
              <Table aria-label={t('snapshotsLabel')}>
                <THead>
                  <TR>
                    <TH>{t('time')}</TH>
                    <TH>{t('source')}</TH>
                    <TH className="text-end">{t('actions')}</TH>
                  </TR>
                </THead>
                <TBody>
                  {snapshots.map((s) => (
                    <TR key={s.Snapshot} data-snapshot={s.Snapshot}>
                      <TD>{when(s.CreateTime)}</TD>
                      <TD>{itemName(s.Source)}</TD>
                      <TD className="space-x-2 text-end">
                        <Button size="sm" variant="outline" onClick={() => browse(s, [{ name: '', treeId: '' }])}>
                          {t('browse')}
                        </Button>
                        <Button
                          size="sm"
                          variant="outline"
                          disabled={act.pending}
                          onClick={() => {
                            if (!window.confirm(t('deleteConfirm', { time: when(s.CreateTime) }))) return;
                            setNotice('');
                            act.run(
                              () => deleteSnapshot(conn, vault, s.Snapshot),
                              () => {
                                setNotice(t('deleted'));
                                load.run(() => vaultSnapshots(conn, vault), setSnapshots);
                              },
                            );
                          }}
                        >
                          {t('delete')}
                        </Button>
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
            {snapshot && (
              <>
                <nav aria-label={t('pathLabel')} className="flex flex-wrap items-center gap-1 text-sm">
                  <Button size="sm" variant="ghost" onClick={() => (setSnapshot(null), setSelected(new Set()))}>
                    {t('back')}
                  </Button>
                  {crumbs.map((c, i) => (
                    <span key={c.treeId || 'top'} className="flex items-center gap-1">
                      <span aria-hidden>/</span>
                      <button type="button" className="hover:underline" onClick={() => browse(snapshot, crumbs.slice(0, i + 1))}>
                        {i === 0 ? when(snapshot.CreateTime) : c.name}
                      </button>
                    </span>
                  ))}
                </nav>
                <Table aria-label={t('objectsLabel')}>
                  <THead>
                    <TR>
                      <TH className="w-8">
                        <span className="sr-only">{t('select')}</span>
                      </TH>
                      <TH>{t('name')}</TH>
                      <TH>{t('size')}</TH>
                      <TH>{t('modified')}</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {objects.length === 0 && (
                      <TR>
                        <TD colSpan={4} className="text-muted-foreground">
                          {t('emptyFolder')}
                        </TD>
                      </TR>
                    )}
                    {objects.map((o) => {
                      const p = pathOf(o);
                      return (
                        <TR key={p}>
                          <TD>
                            <Checkbox aria-label={t('selectItem', { name: o.name })} checked={selected.has(p)} onChange={() => toggle(p)} />
                          </TD>
                          <TD>
                            {o.type === 'dir' ? (
                              <button type="button" className="font-medium hover:underline" onClick={() => browse(snapshot, [...crumbs, { name: o.name, treeId: o.subtree }])}>
                                {o.name}/
                              </button>
                            ) : (
                              o.name
                            )}
                          </TD>
                          <TD className="tabular-nums">{o.type === 'dir' && o.f !== undefined ? t('folderTotals', { files: o.f, size: fmt.bytes(o.size) }) : fmt.bytes(o.size)}</TD>
                          <TD>{o.mtime ? when(o.mtime) : '—'}</TD>
                        </TR>
                      );
                    })}
                  </TBody>
                </Table>
                <form
                  className="grid gap-3 rounded-md border p-3"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const f = new FormData(e.currentTarget);
                    const destPath = String(f.get('destPath') ?? '').trim();
                    if (selected.size === 0) return act.setError(t('selectSome'));
                    if (!destPath.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(destPath)) return act.setError(t('absolutePath'));
                    setNotice('');
                    act.run(
                      () => restoreItems({ targetId: conn, source: snapshot.Source, vault, snapshot: snapshot.Snapshot, paths: [...selected], destPath, overwrite: f.get('overwrite') === 'on' }),
                      (r) => {
                        setNotice(t('restoreStarted', { count: selected.size, job: r.JobID }));
                        setSelected(new Set());
                      },
                    );
                  }}
                >
                  <Field label={t('restoreTo')} hint={t('restoreToHint')}>
                    <Input name="destPath" required placeholder="/home/user/restored" />
                  </Field>
                  <label className="flex items-center gap-2 text-sm">
                    <Checkbox name="overwrite" /> {t('overwrite')}
                  </label>
                  <div className="flex justify-end">
                    <Button type="submit" disabled={act.pending}>
                      {t('restoreSelected', { count: selected.size })}
                    </Button>
                  </div>
                </form>
              </>
            )}
          </div>
        )}
        {error && <Alert tone="error">{error}</Alert>}
        {notice && (
          <Alert tone="success" role="status">
            {notice}
          </Alert>
        )}
      </DialogContent>
    </Dialog>
  );
}
