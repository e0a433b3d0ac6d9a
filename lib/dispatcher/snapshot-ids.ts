import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

/** SnapshotIDs: a non-empty list of distinct snapshot IDs. */
export function checkSnapshotIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequestError(apiMessage('snapshotIdsEmpty'));
  if (value.length > 10_000) throw new BadRequestError(apiMessage('snapshotIdsTooMany'));
  for (const id of value) if (typeof id !== 'string' || id === '' || id.length > 255) throw new BadRequestError(apiMessage('snapshotIdsNotStrings'));
  return [...new Set(value as string[])];
}
