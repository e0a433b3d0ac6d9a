// The BackupLocation for a DestinationLocation: a local path, an S3-compatible bucket (the storage layer's
// guarded client) or a Storage Role bucket (its object API). New kinds are added here and in stored-options.ts's SUPPORTED_LOCATIONS.
import { DESTINATIONTYPE } from '../../comet/constants';
import { CauseError } from '../../errors';
import { apiMessage } from '../../i18n/api-messages';
import type { LocationConfig } from '../stored-options';
import type { BackupLocation } from './location';
import { localLocation } from './local-location';
import { s3Location } from './s3-location';
import { storageRoleLocation } from './storage-role-location';

export function openLocation(location: LocationConfig): BackupLocation {
  const type = Number(location.DestinationType ?? 0);
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY) return localLocation(String(location.LocalcopyPath ?? ''));
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_S3) return s3Location(location);
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_COMET) return storageRoleLocation(location);
  throw new CauseError(apiMessage('locationTypeUnsupported', { type: String(type) }));
}
