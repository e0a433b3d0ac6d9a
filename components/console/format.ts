// The console's one formatter: dates (absolute in the admin's time zone and language, and relative),
// durations, sizes, counts, job status and type labels, event types, operating systems. Client and server
// components use `useFormat()`; async server components build one with `createFormatter(await getLocale(),
// await getTimeZone(), await getTranslations())`. Nothing else in the console formats a date or a number by hand.
import { useLocale, useTimeZone, useTranslations } from 'next-intl';
import { DESTINATIONTYPE, ENGINE_BUILTIN, StreamableEventType } from '../../lib/comet/constants';
import { HALLEY_EVENT_NAMES } from '../../lib/events/halley-event-types';
import { localeDirection } from '../../lib/i18n/locales';
import { classificationKey, statusKey } from './jobs/job-codes';

type Translate = (key: string, values?: Record<string, string | number>) => string;

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Bytes in binary units with one decimal ("1.5 GiB"), the way backup products show sizes. In a right-to-left
 * language the value is isolated left to right (LRI … PDI): the bidi algorithm would otherwise show the Latin unit
 * before the number ("GiB 1.5").
 */
export function formatBytes(bytes: number, locale = 'en'): string {
  return ltrIn(bytesText(bytes, locale), locale);
}

/** Text that reads left to right (a size, a version like "25.9.6-halley.1"), isolated as such in a right-to-left language. */
export function ltrIn(text: string, locale: string): string {
  return localeDirection(locale) === 'rtl' ? `\u2066${text}\u2069` : text;
}

/** A change in size with its sign ("+1.5 GiB", "−200 MiB"), isolated like formatBytes (sign included). */
export function formatBytesChange(delta: number, locale = 'en'): string {
  return ltrIn(`${delta < 0 ? '−' : '+'}${bytesText(Math.abs(delta), locale)}`, locale);
}

function bytesText(bytes: number, locale: string): string {
  const n = Number.isFinite(bytes) ? Math.max(0, bytes) : 0;
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${BYTE_UNITS[unit]}`;
}

/** A job duration in the language's short units: "2h 5m", "4 Min. 10 Sek.", "12s"; "—" when unknown. */
export function formatDuration(seconds: number, locale = 'en'): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.floor(seconds);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const unit = (value: number, u: 'day' | 'hour' | 'minute' | 'second') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(value);
  if (d) return `${unit(d, 'day')} ${unit(h, 'hour')}`;
  if (h) return `${unit(h, 'hour')} ${unit(m, 'minute')}`;
  if (m) return `${unit(m, 'minute')} ${unit(s, 'second')}`;
  return unit(s, 'second');
}

/** A span in whole units, spelled out ("7 days", "3 Stunden"), for sentences like "in the last 7 days". */
export function formatSpan(seconds: number, locale = 'en'): string {
  const units = [
    { u: 'week', s: 604800 },
    { u: 'day', s: 86400 },
    { u: 'hour', s: 3600 },
    { u: 'minute', s: 60 },
  ] as const;
  const pick = units.find((x) => seconds >= x.s && seconds % x.s === 0);
  if (!pick) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(seconds);
  return new Intl.NumberFormat(locale, { style: 'unit', unit: pick.u, unitDisplay: 'long' }).format(seconds / pick.s);
}

const OS_NAMES: Record<string, string> = {
  windows: 'Windows',
  linux: 'Linux',
  darwin: 'macOS',
  macos: 'macOS',
  freebsd: 'FreeBSD',
  openbsd: 'OpenBSD',
  netbsd: 'NetBSD',
  solaris: 'Solaris',
  android: 'Android',
  ios: 'iOS',
  synology: 'Synology DSM',
};
const ARCH_NAMES: Record<string, string> = { amd64: 'x86-64', x86_64: 'x86-64', '386': 'x86 (32-bit)', arm64: 'ARM64', aarch64: 'ARM64', arm: 'ARM', armv7: 'ARMv7' };

/** An operating system by its product name ("darwin" → "macOS"); unknown names as reported. */
export function formatOs(os: string | undefined | null): string {
  const v = (os ?? '').trim();
  return OS_NAMES[v.toLowerCase()] ?? v;
}

/** A device platform: distribution (else OS) and CPU architecture, "Debian 12 · x86-64"; "" when unknown. */
export function formatPlatform(p: { os?: string; distribution?: string; arch?: string } | string | undefined | null): string {
  if (!p) return '';
  if (typeof p === 'string') {
    // Live connections report "os" or "os/arch".
    const [os, arch] = p.split('/', 2);
    return [formatOs(os), arch ? (ARCH_NAMES[arch.toLowerCase()] ?? arch) : ''].filter(Boolean).join(' · ');
  }
  const arch = p.arch ? (ARCH_NAMES[p.arch.toLowerCase()] ?? p.arch) : '';
  return [p.distribution || formatOs(p.os), arch].filter(Boolean).join(' · ');
}

/** A wall-clock value for <input type="datetime-local"> showing Unix seconds in `timeZone`. */
export function unixToZonedInput(unix: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(unix * 1000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Unix seconds of a datetime-local value read as wall-clock time in `timeZone`; NaN for a bad value. */
export function zonedInputToUnix(value: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return NaN;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) / 1000;
  // The zone's offset at that moment, applied twice to settle across a DST change.
  const offset = (at: number) => {
    const shown = unixToZonedInput(at, timeZone);
    const s = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(shown)!;
    return Date.UTC(+s[1], +s[2] - 1, +s[3], +s[4], +s[5]) / 1000 - at;
  };
  let guess = asUtc - offset(asUtc);
  guess = asUtc - offset(guess);
  return guess;
}

const VAULT_TYPE_KEYS: Record<number, string> = {
  [DESTINATIONTYPE.DESTINATIONTYPE_S3]: 's3',
  [DESTINATIONTYPE.DESTINATIONTYPE_SFTP]: 'sftp',
  [DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY]: 'localcopy',
  [DESTINATIONTYPE.DESTINATIONTYPE_COMET]: 'comet',
  [DESTINATIONTYPE.DESTINATIONTYPE_FTP]: 'ftp',
  [DESTINATIONTYPE.DESTINATIONTYPE_AZUREBLOB]: 'azure',
  [DESTINATIONTYPE.DESTINATIONTYPE_SPANNED]: 'spanned',
  [DESTINATIONTYPE.DESTINATIONTYPE_SWIFT]: 'swift',
  [DESTINATIONTYPE.DESTINATIONTYPE_B2]: 'b2',
  [DESTINATIONTYPE.DESTINATIONTYPE_STORJ]: 'storj',
  [DESTINATIONTYPE.DESTINATIONTYPE_WEBDAV]: 'webdav',
  [DESTINATIONTYPE.DESTINATIONTYPE_SMB]: 'smb',
};
const ENGINE_KEYS: Record<string, string> = {
  [ENGINE_BUILTIN.ENGINE_BUILTIN_FILE]: 'file',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_SYSTEMSTATE]: 'systemstate',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_WINDISK]: 'windisk',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_HYPERV]: 'hyperv',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_VMWARE]: 'vmware',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_PROXMOX]: 'proxmox',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_MSSQL]: 'mssql',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_MYSQL]: 'mysql',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_MONGODB]: 'mongodb',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_EXCHANGEEDB]: 'exchangeedb',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_MSOFFICE]: 'msoffice',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_STDOUT]: 'stdout',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_VSSWRITER]: 'vsswriter',
  [ENGINE_BUILTIN.ENGINE_BUILTIN_WINDOWSSYSTEM]: 'windowssystem',
};

// Event types with a label ("eventTypes" in messages/*.json): Comet's SEVT_* (not the SEVT__MIN/MAX range
// markers) and Halley's own. Any other type is shown by its raw name.
const LABELLED_EVENT_TYPES = new Set([...Object.keys(StreamableEventType).filter((n) => !n.startsWith('SEVT__')), ...Object.values(HALLEY_EVENT_NAMES)]);

/** An event type's constant name: Comet's TypeString ("SEVT_ACCOUNT_LOGIN"), else Halley's name for its own numbers, else "". */
export function eventTypeConstant(type: number | undefined, typeString?: string): string {
  return typeString || HALLEY_EVENT_NAMES[type ?? 0] || '';
}

type DateStyle = 'dateTime' | 'dateTimeSeconds' | 'date' | 'time' | 'timeSeconds' | 'full' | 'day';
const DATE_STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  dateTimeSeconds: { dateStyle: 'medium', timeStyle: 'medium' },
  date: { dateStyle: 'medium' },
  time: { timeStyle: 'short' },
  timeSeconds: { timeStyle: 'medium' },
  full: { dateStyle: 'full', timeStyle: 'short' },
  day: { weekday: 'short', day: 'numeric', month: 'short' },
};

type Formatter = ReturnType<typeof createFormatter>;

/** The formatter for one language and time zone; `t` is the root translator (labels for codes). */
export function createFormatter(locale: string, timeZone: string, t: Translate) {
  const zone = timeZone || 'UTC';
  return {
    locale,
    timeZone: zone,
    /** Unix seconds (or a Date) as a date and/or time in the admin's zone; "—" for 0. */
    dateTime(at: number | Date, style: DateStyle = 'dateTime', options?: { timeZone?: string }): string {
      const d = at instanceof Date ? at : new Date(at * 1000);
      if (!(at instanceof Date) && !(at > 0)) return '—';
      return new Intl.DateTimeFormat(locale, { ...DATE_STYLES[style], timeZone: options?.timeZone ?? zone }).format(d);
    },
    /** "5 minutes ago", "in 2 days" (relative to `now`, Unix seconds). */
    relative(at: number, now = Date.now() / 1000): string {
      if (!(at > 0)) return '—';
      const diff = at - now;
      const abs = Math.abs(diff);
      const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      if (abs < 60) return rtf.format(Math.round(diff), 'second');
      if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
      if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
      if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), 'day');
      if (abs < 86400 * 365) return rtf.format(Math.round(diff / (86400 * 30)), 'month');
      return rtf.format(Math.round(diff / (86400 * 365)), 'year');
    },
    bytes: (n: number) => formatBytes(n, locale),
    duration: (seconds: number) => formatDuration(seconds, locale),
    span: (seconds: number) => formatSpan(seconds, locale),
    count: (n: number) => new Intl.NumberFormat(locale).format(n),
    percent: (ratio: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio),
    jobStatus: (code: number) => t(`jobs.status.${statusKey(code)}`),
    jobClassification: (code: number) => t(`jobs.classification.${classificationKey(code)}`),
    /** A Storage Vault type (Comet DESTINATIONTYPE_*) by name: "S3-compatible", "Storage Role". */
    vaultType: (code: number | undefined) => t(`format.vaultType.${VAULT_TYPE_KEYS[code ?? 0] ?? 'unknown'}`),
    /** A Protected Item type (Comet ENGINE_BUILTIN_*) by name: "Files and folders", "Hyper-V". */
    engine: (engine: string | undefined) => t(`format.engine.${ENGINE_KEYS[engine ?? ''] ?? 'unknown'}`),
    /** An event type by name ("Account signed in"); unknown types by their raw name (or number). */
    eventType(type: number | undefined, typeString?: string): string {
      const name = eventTypeConstant(type, typeString);
      return LABELLED_EVENT_TYPES.has(name) ? t(`eventTypes.${name}`) : name || String(type ?? '');
    },
    os: formatOs,
    platform: formatPlatform,
    /** A datetime-local input value in the admin's zone, and back. */
    toInput: (unix: number) => unixToZonedInput(unix, zone),
    fromInput: (value: string) => zonedInputToUnix(value, zone),
  };
}

/** The formatter of the current page (client or server component). */
export function useFormat(): Formatter {
  const locale = useLocale();
  const timeZone = useTimeZone() ?? 'UTC';
  const t = useTranslations() as unknown as Translate;
  return createFormatter(locale, timeZone, t);
}
