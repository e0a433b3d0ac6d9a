// SigV4 for the IAM query API: AWS's documented example request (IAM ListUsers, "Create a signed AWS API
// request" in the IAM user guide) must give the documented signature, and an IAM POST must agree with
// the AWS SDK's own signer.
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signV4 } from '@/lib/storage/templates/sigv4';

function bytes(d: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof d === 'string') return d;
  return ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);
}

/** The SDK's hash interface over node:crypto (HMAC when constructed with a secret). */
class Sha256 {
  private h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

const KEY = { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'iam' };

describe('signV4', () => {
  it('matches the documented IAM ListUsers example', () => {
    const headers = signV4(
      { method: 'GET', url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'), headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: '' },
      KEY,
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('agrees with the AWS SDK signer on a form POST with a port', async () => {
    const body = 'Action=PutUserPolicy&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D&PolicyName=halley-vault&UserName=halley-1&Version=2010-05-08';
    const now = new Date('2026-12-05T07:00:00Z');
    const url = new URL('http://127.0.0.1:4567/');
    const mine = signV4({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body }, KEY, now);
    const sdk = new SignatureV4({ credentials: { accessKeyId: KEY.accessKey, secretAccessKey: KEY.secretKey }, region: KEY.region, service: KEY.service, sha256: Sha256, applyChecksum: false });
    const signed = await sdk.sign(
      { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4567, path: '/', query: {}, headers: { host: '127.0.0.1:4567', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
      { signingDate: now },
    );
    const sig = (h: string) => /Signature=([0-9a-f]+)/.exec(h)?.[1];
    expect(sig(mine.authorization)).toBe(sig(String(signed.headers.authorization)));
  });
});
