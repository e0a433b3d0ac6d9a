// What a device answers is data from outside: every answer is read through these shapes (Comet's wire types),
// so a malformed or hostile answer becomes a clear error instead of a wrong body.
import { z } from 'zod';
import { AppError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

const int = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const uint = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const str = (max = 4096) => z.string().max(max);

/** Comet's VaultSnapshot. */
export const ZVaultSnapshot = z.object({
  Snapshot: str(255),
  EngineType: str(64).default(''),
  Source: str(255).default(''),
  CreateTime: int.default(0),
  HasOriginalPathInfo: z.boolean().default(false),
  Tags: z.array(str(255)).max(100).optional(),
});

/** Comet's StoredObject (the fields a files-and-folders device fills; the rest are e-mail/calendar items). */
export const ZStoredObject = z.object({
  name: str(),
  mtime: int.default(0),
  type: str(64),
  subtree: str().default(''),
  size: uint.default(0),
  dname: str().optional(),
  r: z.boolean().optional(),
  f: uint.optional(),
  b: uint.optional(),
  d: uint.optional(),
});

/** Comet's SearchResultFileInfo (times and mode are strings on the wire). */
export const ZSearchResultFileInfo = z.object({
  path: str(),
  name: str(),
  type: str(64),
  mode: str(64).default(''),
  mtime: str(64).default(''),
  atime: str(64).default(''),
  ctime: str(64).default(''),
  size: uint.default(0),
});

const ZPartition = z.object({
  DeviceName: str(255).default(''),
  PartitionGuid: str(255).default(''),
  PartitionOffset: int.default(0),
  Filesystem: str(255).default(''),
  VolumeName: str(255).default(''),
  VolumeGuid: str(255).default(''),
  VolumeSerial: str(255).default(''),
  MountPoints: z.array(str()).max(256).default([]),
  ReadOffset: int.default(0),
  Size: int.default(0),
  UsedSize: int.default(0),
  Flags: int.default(0),
  BytesPerFilesystemCluster: int.default(0),
});

/** Comet's DiskDrive. */
export const ZDiskDrive = z.object({
  ID: str(255),
  DeviceName: str(255).default(''),
  Caption: str(255).default(''),
  Model: str(255).default(''),
  SerialNumber: str(255).default(''),
  Size: int.default(0),
  Partitions: z.array(ZPartition).max(256).default([]),
  DeviceParents: z.array(str(255)).max(64).default([]),
  Flags: int.default(0),
  Cylinders: int.default(0),
  Heads: int.default(0),
  Sectors: int.default(0),
  SectorSize: int.default(0),
  PartitionConflicts: z.array(z.object({ PartitionA: str(255), PartitionB: str(255), Size: uint })).max(256).default([]),
});

/** Reads `data[field]` with `schema`; a device that answers something else gets a clear error. */
export function answerField<S extends z.ZodType>(data: Record<string, unknown>, field: string, schema: S): z.infer<S> {
  const parsed = schema.safeParse(data[field]);
  if (!parsed.success) throw new AppError(500, apiMessage('deviceMalformedAnswer', { field }));
  return parsed.data;
}
