// The registry must match Comet's wire contract (lib/comet/contract/endpoints.json, copied from
// shared/comet-wire by scripts/sync-comet-wire.mjs): same paths,
// parameter names, optionality and encodings, so real Comet clients work unchanged.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpoints } from '../../lib/api/endpoints';

type WireEndpoint = {
  path: string;
  method: string;
  auth: string;
  topLevelOnly: boolean;
  returns: string;
  responseFormat?: string;
  params: Array<{ name: string; optional: boolean; encoding: string; type: string; topLevelOnly?: boolean }>;
};

const contract: WireEndpoint[] = JSON.parse(readFileSync(join(import.meta.dirname, '../../lib/comet/contract/endpoints.json'), 'utf8')).endpoints;
const byPath = new Map(contract.map((e) => [e.path, e]));

describe('registry vs comet-wire contract', () => {
  it.each(endpoints.filter((e) => !e.extension).map((e) => [e.path, e] as const))('%s', (path, e) => {
    const wire = byPath.get(path);
    expect(wire, `${path} is not a Comet endpoint`).toBeTruthy();
    expect(e.method).toBe(wire!.method);
    expect(e.returns).toBe(wire!.returns);
    expect(e.auth).toBe(wire!.auth);
    expect(Boolean(e.topLevelOnly)).toBe(wire!.topLevelOnly);
    // Text and file endpoints answer errors with a non-2xx HTTP status (lib/api/handle.ts), so they must say so.
    expect(e.responseFormat ?? 'json', 'responseFormat').toBe(wire!.responseFormat === 'json-frames' ? 'json' : (wire!.responseFormat ?? 'json'));
    // Halley's additions to a Comet endpoint are optional parameters marked as such.
    const own = Object.entries(e.params).filter(([, spec]) => !spec.extension);
    expect(own.map(([name]) => name).sort()).toEqual(wire!.params.map((p) => p.name).sort());
    for (const [name, spec] of Object.entries(e.params)) {
      if (spec.extension) expect(spec.optional, `${name}: Halley parameters must be optional`).toBe(true);
    }
    for (const wp of wire!.params) {
      const spec = e.params[wp.name];
      expect(spec.optional, `${wp.name} optional`).toBe(wp.optional);
      const kind = wp.encoding === 'raw' || wp.encoding === 'file' ? 'string' : wp.type === 'int' || /^u?int/.test(wp.type) ? 'int' : wp.type === 'bool' ? 'bool' : 'json';
      expect(spec.kind, `${wp.name} encoding`).toBe(kind);
      if (kind === 'json') expect(spec.wireType).toBe(wp.type);
      expect(spec.topLevelOnly, `${wp.name} topLevelOnly`).toBe(Boolean(wp.topLevelOnly));
    }
  });
});

describe('Halley extension endpoints', () => {
  it.each(endpoints.filter((e) => e.extension).map((e) => [e.path, e] as const))('%s does not take a Comet path or method name', (path, e) => {
    expect(byPath.has(path)).toBe(false);
    expect(contract.some((w) => w.method === e.method)).toBe(false);
    expect(e.method).toMatch(/^Halley/);
  });
});

describe('the contract copies in lib/comet', () => {
  // The copies are what every tier reads; where the source (shared/comet-wire) sits beside the clone,
  // they must still match it (else: node scripts/sync-comet-wire.mjs).
  const source = join(import.meta.dirname, '../../../shared/comet-wire/endpoints.json');
  it.runIf(existsSync(source))('match shared/comet-wire', () => {
    const run = spawnSync(process.execPath, [join(import.meta.dirname, '../../scripts/sync-comet-wire.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
