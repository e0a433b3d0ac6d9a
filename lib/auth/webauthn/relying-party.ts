// The WebAuthn relying party comes from Comet's SelfAddress (the server's external URL, as the
// browser sees it): its host name is the RP ID and its origin is what the browser reports.
import { BadRequestError } from '../../errors';

type RelyingParty = { rpId: string; origin: string };

export function relyingPartyFrom(selfAddress: string, name = 'SelfAddress'): RelyingParty {
  let url: URL;
  try {
    url = new URL(selfAddress);
  } catch {
    throw new BadRequestError(`${name} must be the server's URL as the browser sees it, e.g. https://backup.example.com/`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BadRequestError(`${name} must be an http:// or https:// URL`);
  return { rpId: url.hostname, origin: url.origin };
}

/** Go's []byte is standard base64 in JSON; WebAuthn JSON uses base64url. */
export function base64UrlToStd(value: string): string {
  return Buffer.from(value, 'base64url').toString('base64');
}
