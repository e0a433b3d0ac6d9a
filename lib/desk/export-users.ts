// Halley: the users table as CSV — the console's "export selection" and "export all matching" — streamed a
// page at a time (listUsersPage, the same columns and order as the table), so memory stays flat for any
// number of users.
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { listUsersPage, type UserRow } from './list-users-page';

const BATCH = 500;

/** ISO time of a Unix second; '' for none and for a value no Date can hold (toISOString would throw mid-stream). */
function isoTime(seconds: number | null | undefined): string {
  if (!seconds) return '';
  const d = new Date(seconds * 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : '';
}

const COLUMNS: ReadonlyArray<[string, (r: UserRow) => string | number]> = [
  ['Username', (r) => r.Username],
  ['AccountName', (r) => r.AccountName],
  ['OrganizationID', (r) => r.OrganizationID],
  ['Organization', (r) => r.OrganizationName],
  ['Emails', (r) => (r.Emails ?? []).join(' ')],
  ['PolicyID', (r) => r.PolicyID],
  ['Suspended', (r) => (r.IsSuspended ? 'yes' : 'no')],
  ['CreateTime', (r) => isoTime(r.CreateTime)],
  ['Devices', (r) => r.Devices],
  ['DevicesOnline', (r) => r.DevicesOnline],
  ['ProtectedItems', (r) => r.ProtectedItems],
  ['StorageVaults', (r) => r.StorageVaults],
  ['QuotaBytes', (r) => (r.QuotaEnabled ? r.QuotaBytes : '')],
  ['StorageUsedBytes', (r) => r.StorageUsedBytes],
  ['LastBackupStatus', (r) => r.LastBackupStatus || ''],
  ['LastBackupTime', (r) => isoTime(r.LastBackupTime)],
];

/** CSV field: quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe. */
function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (values: Array<string | number>) => `${values.map(csvField).join(',')}\r\n`;

export async function exportUsers(opts: { actor: AdminActor; query?: string; sortBy?: string; sortDesc?: boolean; usernames?: unknown }): Promise<{ body: AsyncIterable<string>; filename: string }> {
  if (opts.usernames !== undefined && (!Array.isArray(opts.usernames) || opts.usernames.some((u) => typeof u !== 'string'))) throw new BadRequestError(apiMessage('usernamesNotList'));
  const usernames = opts.usernames as string[] | undefined;
  const base = { actor: opts.actor, query: opts.query, sortBy: opts.sortBy, sortDesc: opts.sortDesc, usernames };
  // The first page is read before the answer starts, so bad parameters are still a {Status, Message} answer.
  const first = await listUsersPage({ ...base, offset: 0, limit: BATCH });
  async function* body(): AsyncIterable<string> {
    yield `\uFEFF${line(COLUMNS.map(([name]) => name))}`;
    let page = first;
    let offset = 0;
    for (;;) {
      yield page.Users.map((r) => line(COLUMNS.map(([, get]) => get(r)))).join('');
      offset += page.Users.length;
      if (page.Users.length < BATCH) return;
      page = await listUsersPage({ ...base, offset, limit: BATCH });
    }
  }
  const day = new Date().toISOString().slice(0, 10);
  return { body: body(), filename: `users-${day}.csv` };
}
