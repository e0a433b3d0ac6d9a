// Config-time check of a webhook URL. A webhook URL is chosen by an administrator (possibly a tenant's)
// and the workers POST to it from inside the provider's network, so its host goes through the outbound
// guard (lib/net/outbound-guard.ts) when it is saved, and again at every delivery (lib/webhooks/send.ts).
// A host that does not resolve (yet) is accepted with a warning, as Comet accepts it: the receiver's DNS
// record is often created after the webhook; the guard decides at each delivery, and a refused delivery
// says why in the delivery log.
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { resolveTarget, TargetRefusedError, urlHost } from '../net/outbound-guard';

/**
 * http(s), no credentials, and a host whose addresses are public (unless private targets are allowed).
 * `refusal`: why the URL cannot be saved; `warning`: why it is saved but cannot be reached now. `what` names the
 * target in a refusal (PSA URLs use the same check).
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean, what = 'webhook target'): Promise<{ refusal: ApiMessage | string | null; warning: ApiMessage | null }> {
  const refuse = (refusal: ApiMessage | string) => ({ refusal, warning: null });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse(apiMessage('urlInvalid', { url: raw.slice(0, 200) }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(apiMessage('urlNotHttp', { scheme: url.protocol }));
  if (url.username || url.password) return refuse(apiMessage('urlHasCredentials'));
  if (!url.hostname) return refuse(apiMessage('urlNoHost'));
  try {
    await resolveTarget(urlHost(url), allowPrivate, what);
  } catch (err) {
    if (err instanceof TargetRefusedError) return refuse(err.translatable ?? err.message);
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { refusal: null, warning: apiMessage('urlUnresolvedYet', { host: url.hostname, code: String(code).slice(0, 60) }) };
  }
  return { refusal: null, warning: null };
}
