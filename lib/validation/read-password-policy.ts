import type { Tx } from '../db/client';
import { readServerSetting } from '../settings/server-settings';
import { DEFAULT_PASSWORD_POLICY, normalisePasswordPolicy, PASSWORD_POLICY_KEY, type PasswordPolicy } from './password-policy';

/** The server's password policy; the default on a server that never set one. */
export async function readPasswordPolicy(opts: { maxAgeMs?: number; client?: Tx } = {}): Promise<PasswordPolicy> {
  const stored = await readServerSetting<Partial<PasswordPolicy> | null>(PASSWORD_POLICY_KEY, null, opts);
  return (stored && normalisePasswordPolicy(stored)) ?? DEFAULT_PASSWORD_POLICY;
}
