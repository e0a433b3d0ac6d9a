// Halley: admin/billing/export — the same grouped usage as admin/billing/usage, every row, as a CSV or XLSX
// file that is streamed while PostgreSQL produces it: the rows come through a server-side cursor in batches
// and leave through a stream with backpressure, so memory stays flat however many rows there are.
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { Prisma } from '../generated/prisma/client';
import { log } from '../log';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant } from '../tenancy/scope';
import { BOOSTER_TYPES } from '../usage/boosters';
import { ledgerScope } from './ledger-scope';
import { loadPriceList, type TPriceList } from './prices';
import { JIT_OFF, queryUsage } from './query-usage';
import { parseGroupBy, usageRange, usageSql, type UsageSqlRow } from './usage-query';
import { usageRow, type TUsageRow } from './usage-rows';
import { apiMessage } from '../i18n/api-messages';

type TExportFormat = 'csv' | 'xlsx';
type UsageExport = { body: Readable; filename: string; contentType: string };

const BATCH = 2000;

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

function cells(r: TUsageRow, prices: TPriceList): Array<string | number> {
  const amount = (pred: (item: string) => boolean) => Math.round(r.Lines.filter((l) => pred(l.Item)).reduce((s, l) => s + l.Amount, 0) * 100) / 100;
  return [
    r.Key, r.OrganizationName, r.OrganizationID, r.Username, r.DeviceID, r.DeviceName, r.Days, r.Users, r.Devices, r.ConfiguredDevices, r.Boosters,
    r.Office365Accounts, r.StorageBytes, r.LiveDevices, r.DeviceMonths, r.GBMonths,
    ...BOOSTER_TYPES.map((t) => r.BoosterUsage[t]?.Months ?? 0),
    amount((i) => i === 'devices'), amount((i) => i.startsWith('booster:')), amount((i) => i === 'storage'), r.Amount, prices.Currency,
  ];
}

/** CSV field: quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe. */
function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function parseFormat(raw: string): TExportFormat {
  const f = raw.trim().toLowerCase();
  if (f !== 'csv' && f !== 'xlsx') throw new BadRequestError(apiMessage('exportFormatInvalid'));
  return f;
}

type Sink = { row(values: Array<string | number>): void; end(): Promise<void> };

function csvSink(out: PassThrough): Sink {
  return {
    row: (values) => void out.write(`${values.map(csvField).join(',')}\r\n`),
    end: async () => void out.end(),
  };
}

function xlsxSink(out: PassThrough): Sink {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('Usage');
  return {
    row: (values) => ws.addRow(values).commit(),
    end: async () => {
      ws.commit();
      await wb.commit();
    },
  };
}

/** Waits until `out` wants more; throws when the reader went away (the transaction then rolls back). */
async function drained(out: PassThrough): Promise<void> {
  if (out.destroyed) throw new Error('export reader went away');
  if (!out.writableNeedDrain) return;
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
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
  void db()
    .$transaction(
      async (tx) => {
        sink.row([...EXPORT_COLUMNS]);
        await tx.$executeRawUnsafe(JIT_OFF);
        await tx.$executeRaw(Prisma.sql`DECLARE billing_export NO SCROLL CURSOR FOR ${query}`);
        for (;;) {
          const rows = await tx.$queryRaw<UsageSqlRow[]>`FETCH ${Prisma.raw(String(BATCH))} FROM billing_export`;
          for (const r of rows) sink.row(cells(usageRow(r, prices), prices));
          await drained(out);
          if (rows.length < BATCH) break;
        }
        if (totals) sink.row(cells({ ...usageRow(totals, prices), Key: 'TOTAL' }, prices));
        await sink.end();
      },
      { timeout: 60 * 60 * 1000, maxWait: 30 * 1000 },
    )
    .catch((err) => {
      if (!out.destroyed) log.warn({ err: (err as Error).message }, 'usage export failed');
      out.destroy(err as Error);
    });
  const stamp = `${range.from}_${range.to}`;
  return {
    body: out,
    filename: `halley-usage-${group}-${stamp}.${fmt}`,
    contentType: CONTENT_TYPES[fmt],
  };
}
