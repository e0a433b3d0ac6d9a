// The console shell's logo: admin/halley/branding/console-logo through the registry with the console session.
// The layout links it with ?h=<hash>, so a changed logo is a new URL and the browser may keep this one.
import { Readable } from 'node:stream';
import { apiWithHeaders, requireAdmin } from '@/lib/adapters/console/session';
import { AppError } from '../../../../lib/errors';

export const dynamic = 'force-dynamic';

export async function GET() {
  await requireAdmin();
  try {
    const { data, headers } = await apiWithHeaders<AsyncIterable<Uint8Array>>('/api/v1/admin/halley/branding/console-logo');
    const { 'content-disposition': _attachment, ...rest } = headers;
    return new Response(Readable.toWeb(Readable.from(data)) as ReadableStream<Uint8Array>, {
      headers: { ...rest, 'cache-control': 'private, max-age=86400', 'x-content-type-options': 'nosniff' },
    });
  } catch (err) {
    if (err instanceof AppError) return new Response(err.message, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
    throw err;
  }
}
