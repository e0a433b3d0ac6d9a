// Comet's GET /gen/branding.props (no credentials; the Go SDK POSTs a form): the registry answers both.
import { handleApiRequest } from '@/lib/api/handle';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  // The registry serves POSTs only; a GET of this public, parameterless endpoint is the same call.
  return handleApiRequest(new Request(req.url, { method: 'POST', headers: req.headers }));
}

export const POST = handleApiRequest;
