// Usage ledger and billing (issue 18): Comet's meta/stats, and Halley's usage reports, exports and price lists.
import { exportUsage } from '../../billing/export-usage';
import { getPriceList } from '../../billing/get-price-list';
import { getUsageReport } from '../../billing/get-usage-report';
import { setPriceList } from '../../billing/set-price-list';
import { getStats } from '../../usage/get-stats';
import { requestBackfill } from '../../usage/request-backfill';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { ApiReply } from '../reply';

const reportParams = {
  Start: p.int().describe('Unix seconds, inclusive'),
  End: p.int().describe('Unix seconds, exclusive'),
  GroupBy: p.string().describe('tenant (default), user, device, day or month').opt(),
  TargetOrganization: p.string().topLevel().opt(),
};

export const billingEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/stats',
    method: 'AdminMetaStats',
    summary: 'Daily usage statistics (users, devices, boosters, live-connected devices) keyed by the Unix time of each UTC day; Simple leaves out days that repeat the day before',
    auth: 'admin',
    params: { Simple: p.bool() },
    returns: 'map[int64]StatResult',
    handler: ({ actor, params }) => getStats({ actor, simple: params.Simple }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/billing/usage',
    method: 'HalleyAdminBillingUsage',
    summary:
      'Halley: usage over [Start, End) from the daily ledger, grouped (tenant|user|device|day|month), priced with the organization’s price list: peaks, device-, booster- and GB-months, invoice lines, totals; Offset/Limit page the rows',
    auth: 'admin',
    extension: true,
    params: { ...reportParams, Offset: p.int().opt(), Limit: p.int().opt() },
    returns: 'HalleyBillingUsage',
    handler: ({ actor, params }) =>
      getUsageReport({ actor, start: params.Start, end: params.End, groupBy: params.GroupBy, targetOrganization: params.TargetOrganization, offset: params.Offset, limit: params.Limit }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/billing/export',
    method: 'HalleyAdminBillingExport',
    summary: 'Halley: every row of admin/billing/usage (plus a TOTAL row) as a streamed CSV or XLSX file (Format csv|xlsx)',
    auth: 'admin',
    extension: true,
    params: { ...reportParams, Format: p.string().describe('csv or xlsx') },
    returns: 'file',
    responseFormat: 'file',
    handler: async ({ actor, params }) => {
      const file = await exportUsage({ actor, start: params.Start, end: params.End, groupBy: params.GroupBy, targetOrganization: params.TargetOrganization, format: params.Format });
      return ApiReply.file(file.body, { filename: file.filename, contentType: file.contentType });
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/billing/price-list/get',
    method: 'HalleyAdminBillingPriceListGet',
    summary: 'Halley: the organization’s unit prices (per device-month, booster-month by type, GB-month) and currency',
    auth: 'admin',
    extension: true,
    params: { TargetOrganization: p.string().topLevel().opt() },
    returns: 'HalleyPriceList',
    handler: ({ actor, params }) => getPriceList({ actor, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/billing/price-list/set',
    method: 'HalleyAdminBillingPriceListSet',
    summary: 'Halley: replaces the organization’s price list: PriceList = {Currency, DevicePrice, GBMonthPrice, BoosterPrices: {type: price}}',
    auth: 'admin',
    extension: true,
    params: { PriceList: p.json<Record<string, unknown>>('interface{}'), TargetOrganization: p.string().topLevel().opt() },
    returns: 'HalleyPriceList',
    handler: ({ actor, params }) => setPriceList({ actor, priceList: params.PriceList, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/billing/backfill',
    method: 'HalleyAdminBillingBackfill',
    summary: 'Halley: computes the usage ledger’s missing days (the last Days days, up to 400; Force recomputes them all) in the background',
    auth: 'admin',
    extension: true,
    params: { Days: p.int(), Force: p.bool().opt(), TargetOrganization: p.string().topLevel().opt() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params, request }) => requestBackfill({ actor, days: params.Days, force: params.Force, targetOrganization: params.TargetOrganization, locale: request.locale }),
  }),
];
