// The WebAuthn relying party comes from Comet's SelfAddress (the server's external URL, as the
// browser sees it): its host name is the RP ID and its origin is what the browser reports.
import { BadRequestError } from '../../errors';
import { apiMessage } from '../../i18n/api-messages';
import { checkHttpUrlField } from '../../validation/check-field';

type RelyingParty = { rpId: string; origin: string };

export function relyingPartyFrom(selfAddress: string, name = 'SelfAddress'): RelyingParty {
  let url: URL;
  try {
    url = new URL(selfAddress);
  } catch {
    throw new BadRequestError(apiMessage('selfAddressNotUrl', { field: name }));
  }
  checkHttpUrlField(selfAddress, name);
  return { rpId: url.hostname, origin: url.origin };
}

/** Go's []byte is standard base64 in JSON; WebAuthn JSON uses base64url. */
export function base64UrlToStd(value: string): string {
  return Buffer.from(value, 'base64url').toString('base64');
}
