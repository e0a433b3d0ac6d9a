// The admin's time zone for the console's dates: the browser reports its IANA zone in a cookie
// (components/console/TimeZoneSync.tsx) and every server render formats in it; UTC until then.
export const TIME_ZONE_COOKIE = 'halley-tz';

/** An IANA time zone name the runtime knows, else undefined (a cookie is user input). */
export function validTimeZone(value: string | undefined | null): string | undefined {
  if (!value || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
