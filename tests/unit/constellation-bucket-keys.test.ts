// Constellation's reference keys (lib/constellation/targets.ts): B2 reached through its S3-compatible endpoint is the
// same bucket as B2's own API names, so a vault on either API keeps a bucket whichever API its template lists it
// with; other S3 hosts, and names that only end alike, stay S3 keys.
import { describe, expect, it } from 'vitest';
import { canonicalBucketKey, keepersOf } from '../../lib/constellation/targets';

describe('Constellation bucket keys', () => {
  it('names a bucket on B2’s S3 endpoint by its B2 key', () => {
    expect(canonicalBucketKey('s3:s3.us-west-004.backblazeb2.com/halley-abc')).toBe('b2:halley-abc');
    expect(canonicalBucketKey('s3:s3.eu-central-003.backblazeb2.com:443/master/vault-1')).toBe('b2:master/vault-1');
    expect(canonicalBucketKey('s3:backblazeb2.com/halley-abc')).toBe('b2:halley-abc');
  });

  it('keeps every other key as it is', () => {
    for (const key of ['s3:s3.amazonaws.com/bucket', 's3:evilbackblazeb2.com/bucket', 's3:backblazeb2.com.example.test/bucket', 'b2:halley-abc', 'comet-bucket-1', 's3:s3.us-west-004.backblazeb2.com/']) {
      expect(canonicalBucketKey(key)).toBe(key);
    }
  });

  it('gives the same keepers for a bucket listed through either API', () => {
    expect(keepersOf('s3:s3.us-west-004.backblazeb2.com/master/vault-1')).toEqual(['b2:master/vault-1', 'b2:master']);
    expect(keepersOf('b2:master/vault-1')).toEqual(['b2:master/vault-1', 'b2:master']);
    expect(keepersOf('s3:s3.us-west-004.backblazeb2.com/halley-abc')).toEqual(['b2:halley-abc', 'b2:halley-abc#inner']);
    expect(keepersOf('b2:halley-abc')).toEqual(['b2:halley-abc', 'b2:halley-abc#inner']);
    expect(keepersOf('s3:s3.amazonaws.com/bucket/sub')).toEqual(['s3:s3.amazonaws.com/bucket/sub', 's3:s3.amazonaws.com/bucket']);
  });
});
