import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

// Comet's rule: 1-255 characters of letters, digits, '_', '.', '@' and '-'.
const USERNAME = /^[a-zA-Z0-9_.@-]{1,255}$/;

export function validateUsername(username: string, what = 'Username'): void {
  if (!USERNAME.test(username)) {
    throw new BadRequestError(apiMessage('usernameInvalid', { field: String(what), username: username.slice(0, 60) }));
  }
}
