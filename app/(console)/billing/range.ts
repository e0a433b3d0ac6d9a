// The Billing page's date range: "YYYY-MM-DD" days in the URL (inclusive), Unix seconds for the API.
// Without a valid range it is last month, what a reseller bills most often.
const DAY = 86_400;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function rangeFromQuery(from: string, to: string, now = new Date()): { from: string; to: string; start: number; end: number } {
  const parse = (s: string) => (ISO_DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) ? Date.parse(`${s}T00:00:00Z`) / 1000 : undefined);
  let start = parse(from);
  let last = parse(to);
  if (start === undefined || last === undefined || last < start) {
    start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1) / 1000;
    last = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0) / 1000;
  }
  const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
  return { from: iso(start), to: iso(last), start, end: last + DAY };
}
