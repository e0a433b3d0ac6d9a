// The version of the client (the reference agent) this server builds and deploys: what an update campaign
// targets and what a generated client package carries. Comet versions are dotted numbers with an optional
// suffix ("25.9.6", "25.9.6-halley.1").

export const CLIENT_VERSION = '25.9.6-halley.1';

function parts(version: string): { nums: number[]; suffix: string } {
  const v = version.trim().replace(/^v/i, '');
  const dash = v.indexOf('-');
  const head = dash < 0 ? v : v.slice(0, dash);
  const suffix = dash < 0 ? '' : v.slice(dash + 1);
  return { nums: head.split('.').map((n) => (/^\d+$/.test(n) ? Number(n) : 0)), suffix };
}

function compareSuffix(a: string, b: string): number {
  // A release without a suffix sorts after its suffixed builds of the same number, as in semver; suffixes
  // compare piece by piece, numerically where both pieces are numbers.
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx < ny ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** -1, 0 or 1 as version `a` is older than, the same as or newer than `b`. */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return compareSuffix(x.suffix, y.suffix);
}
