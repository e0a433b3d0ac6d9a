'use server';
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';
import type { SearchClause } from '@/lib/adapters/console/job-search-url';

export async function countJobs(query: SearchClause): Promise<ActionResult<{ Count: number }>> {
  return apiAction('/api/v1/admin/count-jobs-for-custom-search', { Query: query });
}

export async function saveSearch(name: string, query: SearchClause | null): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/account/console-preferences/set', { Preferences: { SavedJobSearches: { [name]: query } } });
  if (res.ok) revalidatePath('/jobs');
  return res;
}

export async function saveJobColumns(cols: string[], size?: number): Promise<ActionResult> {
  return apiAction('/api/v1/admin/account/console-preferences/set', { Preferences: { TableColumns: { jobs: cols }, ...(size ? { PageSize: size } : {}) } });
}

/** User groups the admin may see (group ID -> name), for the builder's group rule. */
export async function listGroups(): Promise<ActionResult<Record<string, string>>> {
  return apiAction('/api/v1/admin/user-groups/list', {});
}
