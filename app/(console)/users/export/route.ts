// The users table's CSV downloads: the selection (?u=name&u=name…) or every user matching the table's
// search and order (?q=&sort=&desc=1), through admin/users/export with the console session, streamed on.
import { Readable } from 'node:stream';
import { apiWithHeaders, requireAdmin } from '@/lib/adapters/console/session';
import { AppError } from '../../../../lib/errors';

export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  await requireAdmin();
  const q = new URL(req.url).searchParams;
  const selection = q.getAll('u');
  try {
    const { data, headers } = await apiWithHeaders<AsyncIterable<Uint8Array | string>>('/api/v1/admin/users/export', {
      ...(selection.length ? { Usernames: selection } : { Query: q.get('q') || undefined }),
      SortBy: q.get('sort') || undefined,
      SortDesc: q.get('desc') === '1',
    });
    // The file answer is an async iterable of text (lib/api/reply.ts ApiReply.file): a web Response takes bytes.
    const bytes = async function* () {
      for await (const chunk of data) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    };
    return new Response(Readable.toWeb(Readable.from(bytes())) as ReadableStream<Uint8Array>, { headers: { ...headers } });
  } catch (err) {
    if (err instanceof AppError) return new Response(err.message, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    throw err;
  }
}
