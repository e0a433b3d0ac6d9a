import { BadRequestError } from '../errors';

// Comet's rule: 1-255 characters of letters, digits, '_', '.', '@' and '-'.
const USERNAME = /^[a-zA-Z0-9_.@-]{1,255}$/;

export function validateUsername(username: string, what = 'Username'): void {
  if (!USERNAME.test(username)) {
    throw new BadRequestError(`${what} '${username.slice(0, 60)}' is invalid: use 1 to 255 letters, digits, '_', '.', '@' or '-'`);
  }
}
