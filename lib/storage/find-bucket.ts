import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

/** What a missing bucket, and another organization's, look like. */
export function bucketNotFound(bucketId: string): NotFoundError {
  return new NotFoundError(apiMessage('bucketNotFound', { id: bucketId.slice(0, 100) }));
}
