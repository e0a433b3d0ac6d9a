// The BackupLocation for a DestinationLocation. New kinds (S3-compatible through the storage layer's
// guarded client, Storage Role buckets) are added here and in stored-options.ts's SUPPORTED_LOCATIONS.
import { DESTINATIONTYPE } from '../../comet/constants';
import type { LocationConfig } from '../stored-options';
import type { BackupLocation } from './location';
import { localLocation } from './local-location';
import { s3Location } from './s3-location';

export function openLocation(location: LocationConfig): BackupLocation {
  const type = Number(location.DestinationType ?? 0);
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY) return localLocation(String(location.LocalcopyPath ?? ''));
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_S3) return s3Location(location);
  throw new Error(`DestinationType ${type} is not a self-backup location Halley can write to`);
}
