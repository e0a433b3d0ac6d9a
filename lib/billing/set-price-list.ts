// Halley: replaces the price list of the admin's organization (or of TargetOrganization, top level only).
import { z } from 'zod';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { targetTenant } from '../tenancy/scope';
import { BOOSTER_TYPES } from '../usage/boosters';
import type { TPriceList } from './prices';
import { apiMessage } from '../i18n/api-messages';
import { zodIssueMessage } from '../i18n/zod-issue-message';

/** Prices are stored with six decimals; anything beyond a trillion per unit is a typing error. */
const ZPrice = z.number().finite().min(0, 'must not be negative').max(999_999_999_999, 'is too large');

const ZPriceList = z
  .object({
    Currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD or EUR'),
    DevicePrice: ZPrice,
    GBMonthPrice: ZPrice,
    BoosterPrices: z.record(z.string(), ZPrice).default({}),
  })
  .strict();

export async function setPriceList({ actor, priceList, targetOrganization }: { actor: AdminActor; priceList: unknown; targetOrganization?: string }): Promise<TPriceList> {
  const parsed = ZPriceList.safeParse(priceList);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(apiMessage('priceListInvalid', { path: issue.path.join('.') || '(value)', reason: zodIssueMessage(issue) }));
  }
  const unknown = Object.keys(parsed.data.BoosterPrices).filter((k) => !BOOSTER_TYPES.includes(k));
  if (unknown.length) throw new BadRequestError(apiMessage('boosterTypeUnknown', { type: unknown[0].slice(0, 40), known: BOOSTER_TYPES.join(', ') }));
  const tenantId = await targetTenant(actor, targetOrganization);
  const boosterPrices = Object.fromEntries(BOOSTER_TYPES.map((t) => [t, parsed.data.BoosterPrices[t] ?? 0]));
  const data = { currency: parsed.data.Currency, devicePrice: parsed.data.DevicePrice, gbMonthPrice: parsed.data.GBMonthPrice, boosterPrices };
  // tenancy: derived — tenantId comes from targetTenant (the admin's own organization or its TargetOrganization)
  await db().billingPriceList.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
  return { Currency: data.currency, DevicePrice: data.devicePrice, GBMonthPrice: data.gbMonthPrice, BoosterPrices: boosterPrices };
}
