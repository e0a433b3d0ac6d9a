// The one password policy (server-wide, set by the top level): applied to the first administrator, new
// administrators, new users and every password change, through checkNewPassword. Pure parts live here so the
// console and the unit tests share them.
import { COMMON_PASSWORDS } from './common-passwords';

export type PasswordPolicy = { MinLength: number; RejectCommon: boolean };

export const PASSWORD_POLICY_KEY = 'password-policy';
/** Longer input is refused (scrypt cost, and no one types more). */
const PASSWORD_MAX_LENGTH = 1024;
export const MIN_LENGTH_BOUNDS = { min: 1, max: 128 } as const;
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { MinLength: 8, RejectCommon: true };

type PasswordProblem =
  | { code: 'empty' }
  | { code: 'tooShort'; min: number }
  | { code: 'tooLong'; max: number }
  | { code: 'common' };

/** Characters as a person counts them (code points, not UTF-16 units). */
function length(value: string): number {
  return [...value].length;
}

export function isCommonPassword(password: string): boolean {
  const p = password.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(p)) return true;
  // "password1", "letmein!", "qwerty123!": a common word with a one-character decoration is no better.
  const stripped = p.replace(/[0-9!.?]$/, '');
  return stripped !== p && COMMON_PASSWORDS.has(stripped);
}

/** The first rule a password breaks, or null. */
export function passwordProblem(password: string, policy: PasswordPolicy): PasswordProblem | null {
  if (password.length === 0) return { code: 'empty' };
  const n = length(password);
  if (n > PASSWORD_MAX_LENGTH) return { code: 'tooLong', max: PASSWORD_MAX_LENGTH };
  if (n < policy.MinLength) return { code: 'tooShort', min: policy.MinLength };
  if (policy.RejectCommon && isCommonPassword(password)) return { code: 'common' };
  return null;
}

/** A stored or requested policy in its valid shape; null when MinLength is out of bounds. */
export function normalisePasswordPolicy(value: { MinLength?: unknown; RejectCommon?: unknown }): PasswordPolicy | null {
  const min = Number(value.MinLength);
  if (!Number.isInteger(min) || min < MIN_LENGTH_BOUNDS.min || min > MIN_LENGTH_BOUNDS.max) return null;
  return { MinLength: min, RejectCommon: value.RejectCommon === true };
}
