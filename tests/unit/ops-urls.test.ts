// Pure parts of the operations features: the OTLP traces URL derived from the OpenTelemetry variables, and
// the object API base URL of a Storage Role self-backup location.
import { describe, expect, it } from 'vitest';
import { tracesUrl } from '../../lib/observability/tracing';
import { objectApiBase } from '../../lib/self-backup/locations/storage-role-location';

describe('tracesUrl', () => {
  it('is off without an endpoint, appends /v1/traces to the base, takes the traces URL as given', () => {
    expect(tracesUrl(undefined, undefined)).toBeNull();
    expect(tracesUrl('http://collector:4318', undefined)?.href).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/otlp/', undefined)?.href).toBe('http://collector:4318/otlp/v1/traces');
    expect(tracesUrl('http://collector:4318', 'https://traces.example/v1/x')?.href).toBe('https://traces.example/v1/x');
  });
});

describe('objectApiBase', () => {
  it('accepts host:port and http(s) URLs, refuses other schemes and credentials', () => {
    expect(objectApiBase('127.0.0.1:8060').href).toBe('http://127.0.0.1:8060/storage/v1/');
    expect(objectApiBase('https://storage.example.com/').href).toBe('https://storage.example.com/storage/v1/');
    expect(objectApiBase('https://storage.example.com/halley?x=1').href).toBe('https://storage.example.com/halley/storage/v1/');
    expect(() => objectApiBase('ftp://storage.example.com')).toThrow(/http/);
    expect(() => objectApiBase('https://user:pw@storage.example.com')).toThrow(/credentials/);
    expect(() => objectApiBase('')).toThrow();
  });
});
