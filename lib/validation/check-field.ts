// The server's one rule set for typed values, as errors: every endpoint and domain function that takes an
// email address, host name, URL, time zone or bounded text checks it here, so the same value is judged the same
// way everywhere and refused with the same message, translated and naming the field ("api" namespace:
// fieldNotEmail, fieldNotHost, fieldNotHttpUrl, fieldNotTimeZone, fieldEmpty, fieldTooLong, fieldIntRange,
// fieldNotOneOf, fieldNotRegex). Console forms map
// these keys to their inputs (components/console/field-errors.tsx FIELD_RULE_KEYS).
import { isIP } from 'node:net';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { isEmailAddress, isHostName } from './email-address';
import { isHttpUrl } from './http-url';
import { isRegexPattern } from './regex-pattern';
import { exceedsLength } from './text-length';
import { isTimeZone } from './time-zone';

/** A quoted value in a message: short enough to read, never the whole of a hostile input. */
function shown(value: string): string {
  return value.slice(0, 80);
}

/** An email address (lib/validation/email-address.ts); `optional`: the empty string is accepted. */
export function checkEmailField(value: string, field: string, opts: { optional?: boolean } = {}): void {
  if (opts.optional && value === '') return;
  if (!isEmailAddress(value)) throw new BadRequestError(apiMessage('fieldNotEmail', { field, value: shown(value) }));
}

/** A DNS host name, IPv4 or IPv6 literal (without brackets); `optional`: the empty string is accepted. */
export function checkHostField(value: string, field: string, opts: { optional?: boolean } = {}): void {
  if (opts.optional && value === '') return;
  if (!isHostName(value) && isIP(value) !== 6) throw new BadRequestError(apiMessage('fieldNotHost', { field, value: shown(value) }));
}

/** An absolute http(s) URL without credentials; `optional`: the empty string is accepted. */
export function checkHttpUrlField(value: string, field: string, opts: { optional?: boolean } = {}): void {
  if (opts.optional && value === '') return;
  if (!isHttpUrl(value)) throw new BadRequestError(apiMessage('fieldNotHttpUrl', { field }));
}

/** An IANA time zone name; `optional`: the empty string (the server's or device's zone) is accepted. */
export function checkTimeZoneField(value: string, field: string, opts: { optional?: boolean } = {}): void {
  if (opts.optional && value === '') return;
  if (!isTimeZone(value)) throw new BadRequestError(apiMessage('fieldNotTimeZone', { field, value: shown(value) }));
}

/** Bounded text: at most `max` characters (code points), refused with the limit named, never cut silently. */
export function checkTextField(value: string, field: string, opts: { max: number; required?: boolean }): void {
  if (opts.required && value.trim() === '') throw new BadRequestError(apiMessage('fieldEmpty', { field }));
  const limit = exceedsLength(value, opts.max);
  if (limit !== null) throw new BadRequestError(apiMessage('fieldTooLong', { field, limit: String(limit) }));
}

/** A whole number from `min` to `max` (inclusive). */
export function checkIntField(value: unknown, field: string, opts: { min: number; max: number }): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < opts.min || value > opts.max) {
    throw new BadRequestError(apiMessage('fieldIntRange', { field, min: String(opts.min), max: String(opts.max) }));
  }
}

/** One of the values of a Comet constant group (a mode, a type), listed in the message. */
export function checkOneOfField(value: unknown, field: string, allowed: readonly number[]): void {
  if (!allowed.includes(value as number)) throw new BadRequestError(apiMessage('fieldNotOneOf', { field, values: allowed.join(', ') }));
}

/** A regular expression in the syntax Comet's clients use (Go RE2; lib/validation/regex-pattern.ts). */
export function checkRegexField(value: string, field: string): void {
  if (!isRegexPattern(value)) throw new BadRequestError(apiMessage('fieldNotRegex', { field, value: shown(value) }));
}
