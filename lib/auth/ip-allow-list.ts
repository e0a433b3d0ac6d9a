// Comet's per-admin IPWhitelist: a regular expression the client address must match (unanchored, as
// Go's regexp.MatchString; write ^…$ to pin it). Empty = any address.
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

const MAX_LENGTH = 1000;
const compiled = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

export function validateIpWhitelist(pattern: string): void {
  if (pattern.length > MAX_LENGTH) throw new BadRequestError(apiMessage('ipAllowListTooLong', { limit: String(MAX_LENGTH) }));
  if (pattern !== '' && compile(pattern) === null) throw new BadRequestError(apiMessage('ipAllowListBadRegex'));
}

/** An unparsable pattern admits nobody (fail closed); an unknown address ('') only an empty pattern. */
export function addressAllowed(pattern: string, address: string): boolean {
  if (pattern === '') return true;
  const re = compile(pattern);
  return re !== null && address !== '' && re.test(address);
}
