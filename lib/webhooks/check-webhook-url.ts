// Config-time check of a webhook URL. A webhook URL is chosen by an administrator (possibly a tenant's)
// and the workers POST to it from inside the provider's network, so its host goes through the outbound
// guard (lib/net/outbound-guard.ts) when it is saved, and again at every delivery (lib/webhooks/send.ts).
import { resolveTarget, TargetRefusedError, urlHost } from '../net/outbound-guard';

/**
 * http(s), no credentials, and a host whose addresses are public (unless private targets are allowed).
 * Returns a readable reason, or null when it is fine.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `'${raw.slice(0, 200)}' is not a valid URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the URL must start with http:// or https://, got '${url.protocol}'`;
  if (url.username || url.password) return 'the URL must not contain a user name or password (use CustomHeaders for credentials)';
  if (!url.hostname) return 'the URL has no host';
  try {
    await resolveTarget(urlHost(url), allowPrivate, 'webhook target');
  } catch (err) {
    if (err instanceof TargetRefusedError) return err.message;
    return `the host ${url.hostname} could not be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  return null;
}
