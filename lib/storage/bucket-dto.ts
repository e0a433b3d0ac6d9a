// BucketProperties as Comet sends it. The bucket key is never returned: ReadWriteKeyFormat names Halley's
// scrypt format and ReadWriteKey is empty (the key is only known to whoever registered the bucket).
import { PASSWORD_FORMAT_HALLEY_SCRYPT } from '../profile/mapper';
import { wireOrganizationId } from '../tenancy/actor';

type BucketRow = { id: string; tenantId: string; createdAt: Date; sizeBytes: bigint; measureStarted: bigint; measureCompleted: bigint };

export const BUCKET_SELECT = { id: true, tenantId: true, createdAt: true, sizeBytes: true, measureStarted: true, measureCompleted: true } as const;

export type TBucketProperties = {
  OrganizationID: string;
  CreateTime: number;
  ReadWriteKeyFormat: number;
  ReadWriteKey: string;
  Size: { Size: number; MeasureStarted: number; MeasureCompleted: number };
};

export function bucketToWire(b: BucketRow): TBucketProperties {
  return {
    OrganizationID: wireOrganizationId(b.tenantId),
    CreateTime: Math.floor(b.createdAt.getTime() / 1000),
    ReadWriteKeyFormat: PASSWORD_FORMAT_HALLEY_SCRYPT,
    ReadWriteKey: '',
    Size: { Size: Number(b.sizeBytes), MeasureStarted: Number(b.measureStarted), MeasureCompleted: Number(b.measureCompleted) },
  };
}
