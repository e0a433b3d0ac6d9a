'use client';
// Users → Advanced → Bulk replace addresses: find the Storage Role vaults that use an address (dry run,
// nothing written), replace it on exactly those, and undo a replace from the list of operations.
import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { findAddresses, replaceAddresses, undoReplaceAddresses, type AddressMatch } from '../../../app/(console)/users/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../../ui/card';
import { Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { useApiAction } from '../use-api-action';

export type OperationRow = { OperationID: string; Find: string; Replace: string; Changed: number; Status: string; CreateTime: number; UndoTime: number };

export function BulkReplace({ operations, tenants }: { operations: OperationRow[]; tenants: Array<{ id: string; name: string }> | null }) {
  const t = useTranslations('bulkReplace');
  const format = useFormatter();
  const router = useRouter();
  const [find, setFind] = useState('');
  const [replace, setReplace] = useState('');
  const [organization, setOrganization] = useState('');
  const [matches, setMatches] = useState<{ find: string; organization: string; rows: AddressMatch[] } | null>(null);
  const [notice, setNotice] = useState('');
  const search = useApiAction();
  const write = useApiAction();
  const stale = matches !== null && (matches.find !== find || matches.organization !== organization);

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>{t('findTitle')}</CardTitle>
        </CardHeader>
        <CardContent>
          <form
            className="grid gap-4 sm:grid-cols-[1fr_auto_auto] sm:items-end"
            onSubmit={(e) => {
              e.preventDefault();
              setNotice('');
              search.run(
                () => findAddresses(find, organization),
                (rows) => setMatches({ find, organization, rows }),
              );
            }}
          >
            <label className="grid gap-1.5">
              <span className="text-sm font-medium">{t('find')}</span>
              <Input name="Find" value={find} placeholder="https://storage-old.example.com/" onChange={(e) => setFind(e.target.value)} required />
            </label>
            {tenants && (
              <label className="grid gap-1.5">
                <span className="text-sm font-medium">{t('organization')}</span>
                <NativeSelect name="TargetOrganization" value={organization} onChange={(e) => setOrganization(e.target.value)}>
                  {tenants.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </NativeSelect>
              </label>
            )}
            <Button type="submit" variant="outline" disabled={search.pending}>
              {t('findButton')}
            </Button>
          </form>
          {search.error && <Alert tone="error" className="mt-4">{search.error}</Alert>}
        </CardContent>
      </Card>

      {matches && (
        <Card data-testid="bulk-matches">
          <CardHeader>
            <CardTitle>{t('matchesTitle', { count: matches.rows.length })}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            {matches.rows.length > 0 && (
              <Table>
                <THead>
                  <TR>
                    <TH>{t('user')}</TH>
                    <TH>{t('vault')}</TH>
                    <TH>{t('address')}</TH>
                  </TR>
                </THead>
                <TBody>
                  {matches.rows.map((m) => (
                    <TR key={`${m.Username}/${m.DestinationID}`}>
                      <TD>
                        <Link className="hover:underline" href={`/users/${encodeURIComponent(m.Username)}?tab=vaults`}>
                          {m.Username}
                        </Link>
                      </TD>
                      <TD>{m.Description || m.DestinationID}</TD>
                      <TD>
                        <code>{m.Address}</code>
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
            {matches.rows.length > 0 && (
              <form
                className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (!window.confirm(t('replaceConfirm', { count: matches.rows.length, replace }))) return;
                  write.run(
                    () => replaceAddresses(matches.find, replace, matches.organization),
                    (res) => {
                      setNotice(t('replaced', { count: res.Changed }));
                      setMatches(null);
                      router.refresh();
                    },
                  );
                }}
              >
                <label className="grid gap-1.5">
                  <span className="text-sm font-medium">{t('replace')}</span>
                  <Input name="Replace" value={replace} placeholder="https://storage.example.com/" onChange={(e) => setReplace(e.target.value)} required />
                </label>
                <Button type="submit" disabled={write.pending || stale}>
                  {t('replaceButton', { count: matches.rows.length })}
                </Button>
              </form>
            )}
            {stale && <p className="text-sm text-muted-foreground">{t('stale')}</p>}
            {write.error && <Alert tone="error">{write.error}</Alert>}
          </CardContent>
        </Card>
      )}
      {notice && <Alert tone="success">{notice}</Alert>}

      <Card>
        <CardHeader>
          <CardTitle>{t('historyTitle')}</CardTitle>
        </CardHeader>
        <CardContent>
          {operations.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('noHistory')}</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>{t('when')}</TH>
                  <TH>{t('change')}</TH>
                  <TH>{t('changed')}</TH>
                  <TH>{t('status')}</TH>
                  <TH />
                </TR>
              </THead>
              <TBody>
                {operations.map((o) => (
                  <TR key={o.OperationID} data-operation={o.OperationID}>
                    <TD>{format.dateTime(new Date(o.CreateTime * 1000), { dateStyle: 'medium', timeStyle: 'short' })}</TD>
                    <TD>
                      <code>{o.Find}</code> → <code>{o.Replace}</code>
                    </TD>
                    <TD className="tabular-nums">{o.Changed}</TD>
                    <TD>
                      <Badge variant={o.Status === 'undone' ? 'secondary' : 'success'}>{t(`statuses.${o.Status === 'undone' ? 'undone' : o.Status === 'running' ? 'running' : 'done'}`)}</Badge>
                    </TD>
                    <TD className="text-end">{o.Status === 'done' && <UndoButton operation={o} onDone={setNotice} />}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function UndoButton({ operation, onDone }: { operation: OperationRow; onDone: (text: string) => void }) {
  const t = useTranslations('bulkReplace');
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-destructive">{error}</span>}
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(t('undoConfirm', { find: operation.Find }))) return;
          run(
            () => undoReplaceAddresses(operation.OperationID),
            (res) => {
              onDone(t('undone', { restored: res.Restored, skipped: res.Skipped }));
              router.refresh();
            },
          );
        }}
      >
        {t('undo')}
      </Button>
    </span>
  );
}
