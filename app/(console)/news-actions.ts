'use server';
// News on the Overview (components/console/news): Comet's admin/news/submit|remove through the registry.
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function submitNewsItem(content: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/news/submit', { NewsContent: content });
  if (res.ok) revalidatePath('/');
  return res;
}

export async function removeNewsItem(id: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/news/remove', { NewsItem: id });
  if (res.ok) revalidatePath('/');
  return res;
}
