// The sign-in page's logo: the raster image the branding of this host name's organization (or the
// server's) names, cached by its hash. 404 when there is none (the page then shows the brand name).
import { publicLogo } from '@/lib/branding/public-branding';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const logo = await publicLogo(req.headers.get('host') ?? '');
  if (!logo) return new Response('no logo', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  return new Response(new Uint8Array(logo.bytes), {
    status: 200,
    headers: { 'content-type': logo.contentType, 'cache-control': 'public, max-age=300', etag: `"${logo.hash}"`, 'x-content-type-options': 'nosniff' },
  });
}
