// The Comet-compatible admin API: one catch-all handler in front of the endpoint registry.
import { handleApiRequest } from '../../../../lib/api/handle';

export const dynamic = 'force-dynamic';

export const GET = handleApiRequest;
export const POST = handleApiRequest;
export const PUT = handleApiRequest;
export const DELETE = handleApiRequest;
export const PATCH = handleApiRequest;
