// One email rule for the whole server: a single address, no display name or list, a dotted domain of valid
// labels (or a bracketed address literal), within RFC 5321's lengths.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;

export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  return isHostName(domain, { requireDot: true });
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A DNS host name (letters, digits and hyphens per label; one trailing dot allowed), or an IPv4 literal. */
export function isHostName(value: string, opts: { requireDot?: boolean } = {}): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (opts.requireDot && labels.length < 2) return false;
  if (!labels.every((l) => LABEL.test(l))) return false;
  // An all-numeric last label is only valid as a whole IPv4 address.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return labels.length === 4 && labels.every((l) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(l));
  return true;
}
