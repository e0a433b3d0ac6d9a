// Settings → Logs → "Download all (zip)": admin/meta/read-all-logs through the registry with the console
// session, streamed on to the browser as the zip is made. Errors come back as plain text with the API's status.
import { Readable } from 'node:stream';
import { apiWithHeaders, requireAdmin } from '@/lib/adapters/console/session';
import { AppError } from '../../../../../lib/errors';

export const dynamic = 'force-dynamic';

export async function GET() {
  await requireAdmin();
  try {
    const { data, headers } = await apiWithHeaders<Readable>('/api/v1/admin/meta/read-all-logs');
    return new Response(Readable.toWeb(data) as ReadableStream<Uint8Array>, { headers: { ...headers } });
  } catch (err) {
    if (err instanceof AppError) return new Response(err.message, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    throw err;
  }
}
