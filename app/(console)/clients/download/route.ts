// The Clients page's "Download client": admin/branding/generate-client/by-platform through the registry with
// the console session, streamed on to the browser. Errors (a platform Halley cannot build, a bad address)
// come back as plain text with the API's status.
import { Readable } from 'node:stream';
import { apiWithHeaders, requireAdmin } from '@/lib/adapters/console/session';
import { AppError } from '../../../../lib/errors';

export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  await requireAdmin();
  const q = new URL(req.url).searchParams;
  try {
    const { data, headers } = await apiWithHeaders<AsyncIterable<Uint8Array>>('/api/v1/admin/branding/generate-client/by-platform', {
      Platform: Number(q.get('platform') ?? '') || 0,
      SelfAddress: q.get('self') || undefined,
    });
    return new Response(Readable.toWeb(Readable.from(data)) as ReadableStream<Uint8Array>, { headers: { ...headers } });
  } catch (err) {
    if (err instanceof AppError) return new Response(err.message, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    throw err;
  }
}
