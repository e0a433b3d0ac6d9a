import { BadRequestError } from '../errors';

/** SnapshotIDs: a non-empty list of distinct snapshot IDs. */
export function checkSnapshotIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequestError("Parameter 'SnapshotIDs' must be a non-empty list of snapshot IDs");
  if (value.length > 10_000) throw new BadRequestError("Parameter 'SnapshotIDs' lists more than 10000 snapshots");
  for (const id of value) if (typeof id !== 'string' || id === '' || id.length > 255) throw new BadRequestError("Parameter 'SnapshotIDs' must contain snapshot IDs (non-empty strings)");
  return [...new Set(value as string[])];
}
