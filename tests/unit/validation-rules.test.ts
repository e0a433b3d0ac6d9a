// One rule set (issues 19 and 20): URLs, host names, email addresses and time zones are judged by lib/validation
// only (check-field.ts, http-url.ts, email-address.ts, time-zone.ts, url-parts.ts), so a value is accepted or refused
// the same way wherever it is typed. This test fails when a regular expression that checks such a value appears
// anywhere else under lib/ (a URL scheme, a host or address character class, an email shape, a time zone shape):
// add a function to lib/validation and call it instead. ALLOWED lists the few expressions that only look alike.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasUrlScheme, isEndpointAddress, isHostPort, isUrlWithScheme, withDefaultScheme } from '../../lib/validation/url-parts';

const root = join(import.meta.dirname, '../..');

/** file → the regular expressions (their source between the slashes) that are not value checks, with why. */
const ALLOWED: Record<string, Record<string, string>> = {
  'lib/env.ts': {
    '^postgres(ql)?:\\/\\/': 'the DATABASE_URL connection string, not an address anyone types in the console or API',
    '^rediss?:\\/\\/': 'the REDIS_URL connection string',
    '^https?$': 'z.url protocol option of the collector variables',
  },
  'lib/branding/branding-rules.ts': { '^resource:\\/\\/([0-9a-f]{64})$': 'a branding resource id, not a URL the server connects to' },
  'lib/tenancy/host.ts': {
    '^[a-z][a-z0-9+.-]*:\\/\\/': 'normalises a Host header or Hosts entry (cuts a scheme off), judges nothing; lib/tenancy must not import lib/validation (folder cycle)',
    '^[^@]*@': 'cuts user info off a Hosts entry, as above',
  },
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['generated', 'node_modules', 'contract'].includes(entry.name)) sourceFiles(path, out);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A regex literal: not after a word, ')' or ']' (division), with classes and escapes read whole. */
const REGEX_LITERAL = /(?<![\w)\]$])\/((?:\\.|\[(?:\\.|[^\]\n\\])*\]|[^/\n[\\])+)\/[dgimsuvy]*/g;

/** What makes an expression a URL, host, email or time-zone check. */
const VALUE_CHECK: Array<[string, RegExp]> = [
  ['a URL scheme', /:\\\/\\\/|https\?|wss\?/],
  ['a host-name character class', /0-9\]?\.-|0-9-\.|a-z0-9\]\(\[a-z0-9-\]/i],
  ['an email shape', /\[\^@|@\[|@\\\.|\\\.\[a-z\]\{2/],
  ['a time zone shape', /\[A-Z\]\[a-z[^\]]*\][+*]?\\\/|Etc\\\/|\bUTC\[/],
];

function findings(): string[] {
  const out: string[] = [];
  for (const path of sourceFiles(join(root, 'lib'))) {
    const rel = relative(root, path).split('\\').join('/');
    if (rel.startsWith('lib/validation/')) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\/?\*)/.test(line)) return;
      const code = line.replace(/\s\/\/\s.*$/, '');
      for (const m of code.matchAll(REGEX_LITERAL)) {
        const body = m[1];
        const hit = VALUE_CHECK.find(([, re]) => re.test(body));
        if (!hit || ALLOWED[rel]?.[body]) continue;
        out.push(`${rel}:${i + 1}: /${body}/ looks like ${hit[0]} check: use lib/validation (check-field.ts, url-parts.ts) instead`);
      }
    });
  }
  return out;
}

describe('one rule set for URLs, hosts, emails and time zones', () => {
  it('no regular expression outside lib/validation checks a URL, host, email address or time zone', () => {
    expect(findings()).toEqual([]);
  });

  it('ALLOWED names only expressions that still exist', () => {
    const stale: string[] = [];
    for (const [file, bodies] of Object.entries(ALLOWED)) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const body of Object.keys(bodies)) if (!text.includes(`/${body}/`)) stale.push(`${file}: /${body}/`);
    }
    expect(stale).toEqual([]);
  });

  it('the detector sees the shapes it is meant to see', () => {
    const detect = (body: string) => VALUE_CHECK.some(([, re]) => re.test(body));
    expect(detect('^https?:\\/\\/')).toBe(true);
    expect(detect('^[a-z][a-z0-9+.-]*:\\/\\/')).toBe(true);
    expect(detect('^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$')).toBe(true);
    expect(detect('^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$')).toBe(true);
    expect(detect('^[A-Z][a-z]+\\/[A-Za-z_]+$')).toBe(true);
    expect(detect('[^a-z0-9-]')).toBe(false);
    expect(detect('^[=+\\-@\\t\\r]')).toBe(false);
  });
});

describe('lib/validation/url-parts', () => {
  it('reads endpoints, host:port fields and scheme-restricted URLs', () => {
    expect(hasUrlScheme('s3+https://x')).toBe(true);
    expect(hasUrlScheme('minio:9000')).toBe(false);
    expect(withDefaultScheme('minio:9000', 'http')).toBe('http://minio:9000');
    expect(withDefaultScheme('https://a.example', 'http')).toBe('https://a.example');
    for (const ok of ['s3.example.com', 'minio:9000', 'http://127.0.0.1:9000/', 'https://s3.eu.example.com/path', '[::1]:9000']) expect(isEndpointAddress(ok), ok).toBe(true);
    for (const bad of ['', 'has space.example', 'ftp://x.example', 'https://u:p@x.example', 'http://bad_host/']) expect(isEndpointAddress(bad), bad).toBe(false);
    for (const ok of ['nas', 'nas.local:445', '10.0.0.5:22', '[fd00::5]:22', '[::1]']) expect(isHostPort(ok), ok).toBe(true);
    for (const bad of ['http://nas', 'nas/share', 'nas:99999', 'nas:', '[nope]:22', 'a b']) expect(isHostPort(bad), bad).toBe(false);
    expect(isUrlWithScheme('wss://login.example/x', ['http', 'https', 'ws', 'wss'])).toBe(true);
    expect(isUrlWithScheme('ftp://login.example/', ['http', 'https', 'ws', 'wss'])).toBe(false);
  });
});
