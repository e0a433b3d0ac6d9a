import { randomBytes } from 'node:crypto';

/** A new signing secret (shown to receivers through webhook-options/get-secret). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
