// The job log as a text file download, through the registry's get-job-log with the console session.
import { apiWithHeaders, requireAdmin } from '@/lib/adapters/console/session';
import { AppError } from '../../../../../lib/errors';

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const id = decodeURIComponent((await ctx.params).id);
  try {
    const { data } = await apiWithHeaders<string>('/api/v1/admin/get-job-log', { JobID: id });
    return new Response(String(data), {
      headers: { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `attachment; filename="job-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.log"`, 'cache-control': 'no-store' },
    });
  } catch (err) {
    if (err instanceof AppError) return new Response(err.message, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    throw err;
  }
}
