import type { Tx } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { passwordProblem } from './password-policy';
import { readPasswordPolicy } from './read-password-policy';

/**
 * Refuses a new password that breaks the server's policy, with a message that names the rule (not the API
 * parameter), translated for the caller. Every path that sets a password calls it before hashing.
 */
export async function checkNewPassword(password: string, opts: { client?: Tx } = {}): Promise<void> {
  // maxAgeMs 0: a policy just tightened on another node applies to the very next password. Inside a transaction the
  // caller passes it as `client` (see readServerSetting).
  const problem = passwordProblem(password, await readPasswordPolicy({ maxAgeMs: 0, client: opts.client }));
  if (!problem) return;
  switch (problem.code) {
    case 'empty':
      throw new BadRequestError(apiMessage('passwordEmpty'));
    case 'tooShort':
      throw new BadRequestError(apiMessage('passwordTooShort', { min: problem.min }));
    case 'tooLong':
      throw new BadRequestError(apiMessage('passwordTooLong', { max: problem.max }));
    case 'common':
      throw new BadRequestError(apiMessage('passwordCommon'));
  }
}
