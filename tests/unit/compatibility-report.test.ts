// docs/COMPATIBILITY.md (how many Comet endpoints Halley serves, and which not yet) is generated from the
// registry; it must not go stale when an endpoint is added.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { compatibilityReport, README_FILE, readmeWithCompatibility, REPORT_FILE } from '../../scripts/compatibility-report';

it('docs/COMPATIBILITY.md matches the registry (else: npx tsx scripts/compatibility-report.ts)', () => {
  expect(readFileSync(REPORT_FILE, 'utf8')).toBe(compatibilityReport());
});

it("README.md's compatibility table matches the registry (else: npx tsx scripts/compatibility-report.ts)", () => {
  const readme = readFileSync(README_FILE, 'utf8');
  expect(readme).toBe(readmeWithCompatibility(readme));
});
