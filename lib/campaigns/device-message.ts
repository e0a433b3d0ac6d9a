// A campaign device's Message (CampaignDevice.message): its English text, and beside it (messageKey) the catalogue
// messages it is read from in the reader's language (lib/i18n/stored-message.ts, list-campaign-devices.ts). A
// device's own words (the reason it refused or failed an update) stay verbatim as a value inside the message.
import type { Prisma } from '../generated/prisma/client';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { storedMessage } from '../i18n/stored-message';

/** The columns to write for `why`. */
export function deviceMessage(why: ApiMessage): { message: string; messageKey: Prisma.InputJsonValue } {
  return { message: why.text.slice(0, 1000), messageKey: storedMessage([why]) as Prisma.InputJsonValue };
}

/** A device asked to update came back with another version than the campaign's. */
export function wrongVersion(version: string, target: string): ApiMessage {
  return apiMessage('campaignDeviceWrongVersion', { version: version.slice(0, 100), target });
}
