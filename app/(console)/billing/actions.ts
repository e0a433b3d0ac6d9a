'use server';
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';
import type { PriceList } from '../../../components/console/billing/types';

export async function savePriceList(priceList: PriceList, org: string): Promise<ActionResult<PriceList>> {
  const res = await apiAction<PriceList>('/api/v1/admin/billing/price-list/set', { PriceList: priceList, TargetOrganization: org || undefined });
  if (res.ok) revalidatePath('/billing');
  return res;
}

export async function requestBackfill(days: number, org: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/billing/backfill', { Days: Math.min(400, Math.max(1, days)), TargetOrganization: org || undefined });
}
