// Reaching the Halley server of the integration tests (started once by tests/helpers/global-setup.ts).
import { inject } from 'vitest';

/** Base URL of the server under test (no trailing slash), or `base + path` when a path is given. */
export function halleyUrl(path = ''): string {
  const base = inject('halleyUrl');
  if (!base) {
    throw new Error('halleyUrl is not provided: only tests under tests/integration/ get a server (run them with npm test)');
  }
  return path ? base + (path.startsWith('/') ? path : `/${path}`) : base;
}

/** fetch() against the server under test: `halleyFetch('/api/v1/openapi.json')`. */
export function halleyFetch(path: string, init?: RequestInit): Promise<Response> {
  return fetch(halleyUrl(path), { redirect: 'manual', ...init });
}

/**
 * POSTs form parameters the way Comet clients call the API (application/x-www-form-urlencoded), e.g.
 * `postForm('/api/v1/admin/get-user-profile', { Username: 'admin', AuthType: 'Password', Password: 'pw', TargetUser: 'bob' })`.
 * Object values are sent as JSON (Comet's JSON-in-form fields).
 */
export function postForm(path: string, params: Record<string, unknown>, init?: RequestInit): Promise<Response> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    body.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return halleyFetch(path, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(init?.headers ?? {}) },
    body,
  });
}
