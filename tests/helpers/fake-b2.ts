// A local stand-in for Backblaze B2's native API (b2api/v2). A mock only because B2 cannot run here: it
// speaks the documented wire format (b2_authorize_account with HTTP Basic key ID and application key,
// then JSON POSTs to the apiUrl it answered with the account authorization token; errors as
// {status, code, message}) and keeps buckets and application keys so tests can check what was made,
// restricted to what, and that a failure removed it. `failOn` makes one call answer an error.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeB2 = {
  url: string;
  accountId: string;
  buckets: Map<string, { bucketName: string; bucketType: string }>;
  keys: Map<string, { keyName: string; capabilities: string[]; bucketId?: string; namePrefix?: string }>;
  calls: Array<{ name: string; body: Record<string, any> }>;
  failOn: Set<string>;
  /** Files by bucket id: file id -> name (tests put some in with putFile). */
  files: Map<string, Map<string, string>>;
  putFile(bucketName: string, fileName: string): void;
  close(): Promise<void>;
};

export async function startFakeB2(master: { keyId: string; appKey: string }, existingBuckets: string[] = []): Promise<FakeB2> {
  const accountId = randomBytes(6).toString('hex');
  const token = `4_${randomBytes(16).toString('hex')}`;
  const buckets = new Map<string, { bucketName: string; bucketType: string }>();
  for (const name of existingBuckets) buckets.set(randomBytes(12).toString('hex'), { bucketName: name, bucketType: 'allPrivate' });
  const keys = new Map<string, { keyName: string; capabilities: string[]; bucketId?: string; namePrefix?: string }>();
  const calls: Array<{ name: string; body: Record<string, any> }> = [];
  const failOn = new Set<string>();
  const files = new Map<string, Map<string, string>>();
  const filesOf = (bucketId: string) => files.get(bucketId) ?? files.set(bucketId, new Map()).get(bucketId)!;
  let url = '';
  const send = (res: http.ServerResponse, status: number, json: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  };
  const fail = (res: http.ServerResponse, status: number, code: string, message: string) => send(res, status, { status, code, message });

  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const name = (req.url ?? '').replace(/^\/b2api\/v2\//, '');
      if (name === 'b2_authorize_account') {
        const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        if (basic !== `${master.keyId}:${master.appKey}`) return fail(res, 401, 'unauthorized', 'Invalid application key');
        calls.push({ name, body: {} });
        return send(res, 200, { accountId, authorizationToken: token, apiUrl: url, downloadUrl: url, s3ApiUrl: '', recommendedPartSize: 100_000_000, absoluteMinimumPartSize: 5_000_000, allowed: { capabilities: ['all'], bucketId: null, namePrefix: null } });
      }
      if (req.method !== 'POST') return fail(res, 405, 'method_not_allowed', 'POST only');
      if (req.headers.authorization !== token) return fail(res, 401, 'bad_auth_token', 'Invalid authorization token');
      let body: Record<string, any>;
      try {
        body = JSON.parse(text);
      } catch {
        return fail(res, 400, 'bad_json', 'body is not JSON');
      }
      calls.push({ name, body });
      if (failOn.has(name)) return fail(res, 403, 'cap_exceeded', `Cap exceeded for ${name}`);
      const needAccount = () => body.accountId === accountId;
      switch (name) {
        case 'b2_create_bucket': {
          if (!needAccount()) return fail(res, 400, 'bad_request', 'accountId is wrong');
          if (!/^[a-zA-Z0-9-]{6,50}$/.test(body.bucketName ?? '') || String(body.bucketName).startsWith('b2-')) return fail(res, 400, 'bad_bucket_name', 'Invalid bucket name');
          if ([...buckets.values()].some((b) => b.bucketName === body.bucketName)) return fail(res, 400, 'duplicate_bucket_name', 'Bucket name is already in use.');
          if (body.bucketType !== 'allPrivate' && body.bucketType !== 'allPublic') return fail(res, 400, 'bad_request', 'bucketType');
          const bucketId = randomBytes(12).toString('hex');
          buckets.set(bucketId, { bucketName: body.bucketName, bucketType: body.bucketType });
          return send(res, 200, { accountId, bucketId, bucketName: body.bucketName, bucketType: body.bucketType, revision: 1 });
        }
        case 'b2_list_buckets': {
          if (!needAccount()) return fail(res, 400, 'bad_request', 'accountId is wrong');
          const list = [...buckets.entries()].filter(([, b]) => !body.bucketName || b.bucketName === body.bucketName).map(([bucketId, b]) => ({ accountId, bucketId, ...b }));
          return send(res, 200, { buckets: list });
        }
        case 'b2_delete_bucket':
          if (filesOf(body.bucketId).size > 0) return fail(res, 400, 'cannot_delete_non_empty_bucket', 'Cannot delete non-empty bucket');
          if (!needAccount() || !buckets.delete(body.bucketId)) return fail(res, 400, 'bad_request', 'Bucket does not exist');
          return send(res, 200, { accountId, bucketId: body.bucketId });
        case 'b2_create_key': {
          if (!needAccount()) return fail(res, 400, 'bad_request', 'accountId is wrong');
          if (!Array.isArray(body.capabilities) || !/^[a-zA-Z0-9-]{1,100}$/.test(body.keyName ?? '')) return fail(res, 400, 'bad_request', 'capabilities and keyName are required');
          if (body.namePrefix && !body.bucketId) return fail(res, 400, 'bad_request', 'namePrefix needs bucketId');
          if (body.bucketId && !buckets.has(body.bucketId)) return fail(res, 400, 'bad_request', 'Bucket does not exist');
          const applicationKeyId = `005${randomBytes(10).toString('hex')}`;
          keys.set(applicationKeyId, { keyName: body.keyName, capabilities: body.capabilities, bucketId: body.bucketId, namePrefix: body.namePrefix });
          return send(res, 200, { accountId, applicationKeyId, applicationKey: `K005${randomBytes(14).toString('hex')}`, keyName: body.keyName, capabilities: body.capabilities, bucketId: body.bucketId ?? null, namePrefix: body.namePrefix ?? null });
        }
        case 'b2_list_file_names': {
          // One level under prefix when a delimiter is given (folders as action "folder"); no paging needed here.
          if (!buckets.has(body.bucketId)) return fail(res, 400, 'bad_request', 'Bucket does not exist');
          const prefix = String(body.prefix ?? '');
          const out = new Map<string, { fileName: string; action: string }>();
          for (const name of [...filesOf(body.bucketId).values()].sort()) {
            if (!name.startsWith(prefix)) continue;
            const cut = body.delimiter ? name.indexOf(body.delimiter, prefix.length) : -1;
            if (cut >= 0) out.set(name.slice(0, cut + 1), { fileName: name.slice(0, cut + 1), action: 'folder' });
            else out.set(name, { fileName: name, action: 'upload' });
          }
          return send(res, 200, { files: [...out.values()], nextFileName: null });
        }
        case 'b2_list_file_versions': {
          if (!buckets.has(body.bucketId)) return fail(res, 400, 'bad_request', 'Bucket does not exist');
          const list = [...filesOf(body.bucketId).entries()].filter(([, n]) => n.startsWith(String(body.prefix ?? ''))).slice(0, Number(body.maxFileCount ?? 100));
          return send(res, 200, { files: list.map(([fileId, fileName]) => ({ fileId, fileName, action: 'upload' })), nextFileName: null, nextFileId: null });
        }
        case 'b2_delete_file_version': {
          const bucket = [...files.values()].find((m) => m.get(body.fileId) === body.fileName);
          if (!bucket) return fail(res, 400, 'file_not_present', 'File not present');
          bucket.delete(body.fileId);
          return send(res, 200, { fileId: body.fileId, fileName: body.fileName });
        }
        case 'b2_list_keys':
          if (!needAccount()) return fail(res, 400, 'bad_request', 'accountId is wrong');
          return send(res, 200, { keys: [...keys.entries()].map(([applicationKeyId, k]) => ({ accountId, applicationKeyId, keyName: k.keyName, capabilities: k.capabilities, bucketId: k.bucketId ?? null, namePrefix: k.namePrefix ?? null })), nextApplicationKeyId: null });
        case 'b2_delete_key':
          if (!keys.delete(body.applicationKeyId)) return fail(res, 400, 'bad_request', 'Key does not exist');
          return send(res, 200, { accountId, applicationKeyId: body.applicationKeyId });
        default:
          return fail(res, 404, 'not_found', `unknown call ${name}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const putFile = (bucketName: string, fileName: string) => {
    const bucketId = [...buckets.entries()].find(([, b]) => b.bucketName === bucketName)?.[0];
    if (!bucketId) throw new Error(`fake B2: no bucket ${bucketName}`);
    filesOf(bucketId).set(`4_z${randomBytes(12).toString('hex')}`, fileName);
  };
  return { url, accountId, buckets, keys, calls, failOn, files, putFile, close: () => new Promise<void>((r) => server.close(() => r())) };
}
