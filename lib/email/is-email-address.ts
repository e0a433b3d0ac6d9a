const EMAIL_RE = /^[^\s@<>()",;]+@[^\s@<>()",;]+$/;

/** A plausible single address (no display name, no list): what recipients and From fields accept. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 320 && EMAIL_RE.test(value);
}
