// The Billing page's CSV / XLSX download: admin/billing/export through the registry with the console
// session, streamed on to the browser as the registry produces it.
import { Readable } from 'node:stream';
import { apiWithHeaders, requireAdmin } from '@/lib/adapters/console/session';
import { AppError } from '../../../../lib/errors';
import { rangeFromQuery } from '../range';

export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  await requireAdmin();
  const q = new URL(req.url).searchParams;
  const range = rangeFromQuery(q.get('from') ?? '', q.get('to') ?? '');
  try {
    const { data, headers } = await apiWithHeaders<Readable>('/api/v1/admin/billing/export', {
      Start: range.start,
      End: range.end,
      GroupBy: q.get('group') || 'tenant',
      TargetOrganization: q.get('org') || undefined,
      Format: q.get('format') || 'csv',
    });
    return new Response(Readable.toWeb(data) as ReadableStream<Uint8Array>, { headers: { ...headers } });
  } catch (err) {
    if (err instanceof AppError) return new Response(err.message, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    throw err;
  }
}
