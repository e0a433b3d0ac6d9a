// Ledger days are UTC calendar days, stored as DATE and named on the wire by the Unix time of their 00:00 UTC.
export const DAY_SECONDS = 86_400;

/** The ledger day (Unix seconds of 00:00 UTC) that contains `unixSeconds`. */
export function dayStart(unixSeconds: number): number {
  return Math.floor(unixSeconds / DAY_SECONDS) * DAY_SECONDS;
}

/** "YYYY-MM-DD" of a ledger day, as PostgreSQL's DATE takes it. */
export function dayIso(dayUnix: number): string {
  return new Date(dayUnix * 1000).toISOString().slice(0, 10);
}

/** Unix seconds of 00:00 UTC of a DATE column value. */
export function dayUnixOf(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
