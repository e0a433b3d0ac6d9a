'use server';
// Console-wide server actions: each one is a registry call with the signed-in admin's session.
import { revalidatePath } from 'next/cache';
import type { ConsolePreferences } from '../../lib/admins/console-preferences';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';
import type { GlobalSearchResult } from '../../lib/search/global-search';

type PrefsPatch = Omit<ConsolePreferences, 'TableColumns'> & { TableColumns?: Record<string, string[] | null> };

export async function savePreferences(patch: PrefsPatch): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/account/console-preferences/set', { Preferences: patch });
  if (res.ok && (patch.AdvancedOptions !== undefined || patch.GuideDismissed !== undefined)) revalidatePath('/', 'layout');
  return res;
}

export async function searchEverything(query: string): Promise<ActionResult<GlobalSearchResult>> {
  return apiAction<GlobalSearchResult>('/api/v1/admin/search', { Query: query });
}
