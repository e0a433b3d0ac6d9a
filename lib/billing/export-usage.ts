// Halley: admin/billing/export — the same grouped usage as admin/billing/usage, every row, as a CSV or XLSX
// file that is streamed while PostgreSQL produces it: the rows come through a server-side cursor in batches
// and leave through a stream with backpressure, so memory stays flat however many rows there are.
// The cursor runs on the pg pool under Prisma (dbPool): a million rows through Prisma's raw-query mapping cost
// more than the whole COPY of the same statement (bench/usage.ts, export section); each batch is one write.
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import { dbPool } from '../db/client';
import { BadRequestError } from '../errors';
import { log } from '../log';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant } from '../tenancy/scope';
import { BOOSTER_TYPES } from '../usage/boosters';
import { ledgerScope } from './ledger-scope';
import { loadPriceList, type TPriceList } from './prices';
import { JIT_OFF, queryUsage } from './query-usage';
import { parseGroupBy, usageRange, usageSql, type UsageSqlRow } from './usage-query';
import { money, usageRow, type TUsageRow } from './usage-rows';
import { xlsxSheetStream } from './xlsx-sheet-stream';
import { apiMessage } from '../i18n/api-messages';

type TExportFormat = 'csv' | 'xlsx';
type UsageExport = { body: Readable; filename: string; contentType: string };

/** Rows per FETCH; two batches are in flight at a time. */
const BATCH = 1000;

const CONTENT_TYPES: Record<TExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The export's columns, in order: labels, quantities, booster-months per type, amounts. */
const EXPORT_COLUMNS: readonly string[] = [
  'Key', 'Organization', 'OrganizationID', 'Username', 'DeviceID', 'DeviceName', 'Days', 'Users', 'Devices', 'ConfiguredDevices', 'Boosters',
  'Office365Accounts', 'StorageBytes', 'LiveDevices', 'DeviceMonths', 'GBMonths',
  ...BOOSTER_TYPES.map((t) => `BoosterMonths:${t}`),
  'DevicesAmount', 'BoostersAmount', 'StorageAmount', 'Amount', 'Currency',
];

type Row = Array<string | number>;

/** One row's cells (a million rows per export: plain loops, no intermediate arrays). */
function cells(r: TUsageRow, prices: TPriceList): Row {
  // The amounts per kind of line, summed in line order.
  let devices = 0;
  let boosters = 0;
  let storage = 0;
  for (const l of r.Lines) {
    if (l.Item === 'devices') devices += l.Amount;
    else if (l.Item.startsWith('booster:')) boosters += l.Amount;
    else if (l.Item === 'storage') storage += l.Amount;
  }
  const out: Row = [
    r.Key, r.OrganizationName, r.OrganizationID, r.Username, r.DeviceID, r.DeviceName, r.Days, r.Users, r.Devices, r.ConfiguredDevices, r.Boosters,
    r.Office365Accounts, r.StorageBytes, r.LiveDevices, r.DeviceMonths, r.GBMonths,
  ];
  for (const t of BOOSTER_TYPES) out.push(r.BoosterUsage[t]?.Months ?? 0);
  out.push(money(devices), money(boosters), money(storage), r.Amount, prices.Currency);
  return out;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** CSV field: quoted when needed; text a spreadsheet would run as a formula (= + - @ tab CR first) gets a leading apostrophe. */
function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  if (v === '') return v;
  const c = v.charCodeAt(0);
  const text = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? `'${v}` : v;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function parseFormat(raw: string): TExportFormat {
  const f = raw.trim().toLowerCase();
  if (f !== 'csv' && f !== 'xlsx') throw new BadRequestError(apiMessage('exportFormatInvalid'));
  return f;
}

/** `writable` is what the producer waits on (drained) before the next batch. */
type Sink = { writable: Writable; rows(rows: Row[]): void; end(): Promise<void> };

function csvSink(out: PassThrough): Sink {
  return {
    writable: out,
    rows: (rows) => {
      let text = '';
      for (const values of rows) {
        for (let i = 0; i < values.length; i++) text += i ? `,${csvField(values[i]!)}` : csvField(values[i]!);
        text += '\r\n';
      }
      out.write(text);
    },
    end: async () => void out.end(),
  };
}

function xlsxSink(out: PassThrough): Sink {
  const x = xlsxSheetStream(out, 'Usage');
  return { writable: x.sheet, rows: (rows) => x.rows(rows), end: () => x.end() };
}

/** Waits until `w` wants more; throws when the reader of `out` went away (the transaction then rolls back). */
async function drained(w: Writable, out: PassThrough): Promise<void> {
  if (out.destroyed) throw new Error('export reader went away');
  if (!w.writableNeedDrain) return;
  // The listeners of the events that did not come are removed again (a million rows: hundreds of waits).
  const done = new AbortController();
  const wait = (e: NodeJS.EventEmitter, name: string) => once(e, name, { signal: done.signal }).catch(() => undefined);
  await Promise.race([wait(w, 'drain'), wait(w, 'close'), wait(out, 'close')]);
  done.abort();
  if (out.destroyed) throw new Error('export reader went away');
}

type ExportUsageInput = { actor: AdminActor; start: number; end: number; groupBy?: string; targetOrganization?: string; format: string };

export async function exportUsage({ actor, start, end, groupBy, targetOrganization, format }: ExportUsageInput): Promise<UsageExport> {
  const fmt = parseFormat(format);
  const group = parseGroupBy(groupBy);
  const range = usageRange(start, end);
  const target = await resolveTargetTenant(actor, targetOrganization);
  const scope = ledgerScope(actor, target);
  const prices = await loadPriceList(target ?? actor.tenantId);
  const [totals] = await queryUsage(usageSql('total', scope, range));
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const sink = fmt === 'csv' ? csvSink(out) : xlsxSink(out);
  const query = usageSql(group, scope, range);
  void (async () => {
    let client: PoolClient | undefined;
    try {
      sink.rows([[...EXPORT_COLUMNS]]);
      client = await dbPool().connect();
      await client.query('BEGIN');
      await client.query(JIT_OFF);
      // Every row is read: plan for the whole result (as COPY does), not for the first 10 % (a cursor's default).
      await client.query('SET LOCAL cursor_tuple_fraction = 1.0');
      await client.query(`DECLARE billing_export NO SCROLL CURSOR FOR ${query.text}`, query.values);
      // The next batch is asked for before this one is encoded, so PostgreSQL and Node work at the same time.
      const fetch = (c: PoolClient) => {
        // Rows as pg parses them (int8 as text): usageRow takes every number through Number().
        const q = c.query<UsageSqlRow>(`FETCH ${BATCH} FROM billing_export`);
        q.catch(() => undefined); // awaited below; an error after the reader left is the ROLLBACK's business
        return q;
      };
      for (let next = fetch(client); ; ) {
        const { rows } = await next;
        const more = rows.length === BATCH;
        if (more) next = fetch(client);
        sink.rows(rows.map((r) => cells(usageRow(r, prices), prices)));
        await drained(sink.writable, out);
        if (!more) break;
      }
      await client.query('COMMIT');
      client.release();
      client = undefined;
      if (totals) sink.rows([cells({ ...usageRow(totals, prices), Key: 'TOTAL' }, prices)]);
      await sink.end();
    } catch (err) {
      // A connection whose ROLLBACK failed is not given back to the pool.
      const c = client as PoolClient | undefined;
      if (c) await c.query('ROLLBACK').then(() => c.release(), (e: Error) => c.release(e));
      if (!out.destroyed) log.warn({ err: (err as Error).message }, 'usage export failed');
      out.destroy(err as Error);
    }
  })();
  const stamp = `${range.from}_${range.to}`;
  return {
    body: out,
    filename: `halley-usage-${group}-${stamp}.${fmt}`,
    contentType: CONTENT_TYPES[fmt],
  };
}
