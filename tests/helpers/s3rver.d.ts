// s3rver 3.7 ships no types: the part the tests use (an in-process S3-compatible server on 127.0.0.1).
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  export default class S3rver {
    constructor(opts: { port?: number; address?: string; silent?: boolean; directory: string; configureBuckets?: Array<{ name: string; configs: unknown[] }> });
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}

// s3rver's account registry: the access keys it accepts (a fake IAM registers the keys it mints here).
declare module 's3rver/lib/models/account.js' {
  const AWSAccount: {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void; revokeAccessKey(accessKeyId: string): void };
  };
  export default AWSAccount;
}
