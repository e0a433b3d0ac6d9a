// IANA time zones as the runtime knows them (Intl.supportedValuesOf), plus UTC, which some runtimes leave
// out of the list although every one accepts it.
let zones: ReadonlySet<string> | undefined;

export function timeZones(): readonly string[] {
  return [...timeZoneSet()].sort();
}

function timeZoneSet(): ReadonlySet<string> {
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return zones;
}

export function isTimeZone(value: string): boolean {
  if (timeZoneSet().has(value)) return true;
  // Links such as "Europe/Kiev" or "US/Eastern" are valid IANA names that the list shows canonicalised.
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone !== '' && value.includes('/');
  } catch {
    return false;
  }
}
