// The console's post-sign-in destination: only paths on the console's own origin, whatever the spelling.
import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '@/lib/adapters/console/safe-callback-url';

const ORIGIN = 'http://console.example:8060';

describe('safeCallbackPath', () => {
  it('keeps same-origin paths with their query and fragment', () => {
    expect(safeCallbackPath('/users?q=bob#top', ORIGIN)).toBe('/users?q=bob#top');
    expect(safeCallbackPath('/', ORIGIN)).toBe('/');
    expect(safeCallbackPath('/settings/email', ORIGIN)).toBe('/settings/email');
    expect(safeCallbackPath(`${ORIGIN}/devices`, ORIGIN)).toBe('/devices');
    // Encoded slashes and backslashes stay encoded: a path on this origin, never another host.
    expect(safeCallbackPath('/%5Cevil', ORIGIN)).toBe('/%5Cevil');
    expect(safeCallbackPath('/%2F%2Fevil', ORIGIN)).toBe('/%2F%2Fevil');
    // Browsers drop tabs and newlines: what remains is a plain path here.
    expect(safeCallbackPath('\t/evil', ORIGIN)).toBe('/evil');
    // A same-scheme URL without '//' is relative (WHATWG): a path here, as a browser reads it too.
    expect(safeCallbackPath('http:evil.example', ORIGIN)).toBe('/evil.example');
    expect(safeCallbackPath('http:/evil.example', ORIGIN)).toBe('/evil.example');
  });

  it('sends everything that leaves the origin, or could be read as another host, to /', () => {
    const nasty = [
      '/\\evil.example/path',
      '/\\/evil.example',
      '\\\\evil.example',
      '\\/evil.example',
      '//evil.example',
      '///evil.example',
      '/.//evil.example',
      '/./\\evil.example',
      '\t//evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      ' //evil.example',
      'https://evil.example',
      'https://evil.example/path?x=1',
      'HTTP://evil.example',
      'http://console.example:8061/',
      'https://console.example:8060/',
      'http://console.example:8060@evil.example/',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'mailto:someone@evil.example',
      '',
      null,
      undefined,
    ];
    for (const value of nasty) expect(safeCallbackPath(value, ORIGIN), JSON.stringify(value)).toBe('/');
  });

  it('the result, resolved by a browser, stays on the origin', () => {
    const inputs = ['/ok', '/%5C%5Cevil', '/..//evil', '/a/../..//evil', '/a/..%2F..%2Fevil', '?x=1', '#frag', 'relative/path'];
    for (const value of inputs) {
      const out = safeCallbackPath(value, ORIGIN);
      expect(out.startsWith('/') && !/^\/[/\\]/.test(out), `${value} -> ${out}`).toBe(true);
      expect(new URL(out, ORIGIN).origin).toBe(ORIGIN);
    }
  });
});
