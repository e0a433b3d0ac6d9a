import { describe, expect, it } from 'vitest';
import { normaliseHost } from '../../lib/tenancy/host';

describe('normaliseHost', () => {
  it.each([
    ['a.example', 'a.example'],
    ['A.Example:8060', 'a.example'],
    ['a.example.', 'a.example'],
    ['a.example.:443', 'a.example'],
    ['  a.example  ', 'a.example'],
    ['https://a.example:8443/path?q', 'a.example'],
    ['[::1]:8060', '::1'],
    ['[FD00::1]', 'fd00::1'],
    ['fd00::1', 'fd00::1'],
    ['127.0.0.1:8060', '127.0.0.1'],
    ['', ''],
    [':8060', ''],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseHost(input)).toBe(expected);
  });
});
