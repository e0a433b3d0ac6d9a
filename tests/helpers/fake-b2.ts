// A local stand-in for Backblaze B2's native API (b2api/v2). A mock only because B2 cannot run here: it
// speaks the documented wire format (b2_authorize_account with HTTP Basic key ID and application key,
// then JSON POSTs to the apiUrl it answered with the account authorization token; errors as
// {status, code, message}) and keeps buckets and application keys so tests can check what was made,
// restricted to what, and that a failure removed it. `failOn` makes one call answer an error.
// The keys it makes sign in too (b2_authorize_account answers their bucket and name-prefix restriction)
// and reach the file calls an agent uses: b2_get_upload_url + the upload URL, download by name (GET/HEAD
// /file/<bucket>/<name>), b2_list_file_names, b2_list_file_versions, b2_delete_file_version; a restricted
// key is refused outside its bucket and prefix, as B2 does.
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeB2 = {
  url: string;
  accountId: string;
  buckets: Map<string, { bucketName: string; bucketType: string }>;
  keys: Map<string, { keyName: string; capabilities: string[]; bucketId?: string; namePrefix?: string; applicationKey?: string }>;
  /** Stored files per bucket ID: name -> content (one version each). */
  files: Map<string, Map<string, { fileId: string; data: Buffer }>>;
  calls: Array<{ name: string; body: Record<string, any> }>;
  failOn: Set<string>;
  /** Puts an empty file into a bucket (as if an agent had uploaded it). */
  putFile(bucketName: string, fileName: string): void;
  close(): Promise<void>;
};

export async function startFakeB2(master: { keyId: string; appKey: string }, existingBuckets: string[] = []): Promise<FakeB2> {
  const accountId = randomBytes(6).toString('hex');
  const token = `4_${randomBytes(16).toString('hex')}`;
  const authToken = token;
  const buckets = new Map<string, { bucketName: string; bucketType: string }>();
  for (const name of existingBuckets) buckets.set(randomBytes(12).toString('hex'), { bucketName: name, bucketType: 'allPrivate' });
  const keys = new Map<string, { keyName: string; capabilities: string[]; bucketId?: string; namePrefix?: string; applicationKey?: string }>();
  const files = new Map<string, Map<string, { fileId: string; data: Buffer }>>();
  /** Sessions of the keys made here (authorization and upload tokens): their restriction. */
  const sessions = new Map<string, { bucketId?: string; namePrefix?: string }>();
  const calls: Array<{ name: string; body: Record<string, any> }> = [];
  const failOn = new Set<string>();
  let url = '';
  const send = (res: http.ServerResponse, status: number, json: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  };
  const fail = (res: http.ServerResponse, status: number, code: string, message: string) => send(res, status, { status, code, message });

  const bucketFiles = (bucketId: string) => {
    let m = files.get(bucketId);
    if (!m) files.set(bucketId, (m = new Map()));
    return m;
  };
  /** The session of `token` may touch `fileName` in `bucketId` (the master token may touch everything). */
  const allowedFile = (token: string, bucketId: string, fileName = '') => {
    if (token === authToken) return true;
    const s = sessions.get(token);
    if (!s) return false;
    return (!s.bucketId || s.bucketId === bucketId) && (!s.namePrefix || fileName.startsWith(s.namePrefix));
  };
  const handled = (_answered: void): true => true;
  /** Answers the file calls of a session; false when `name` is not one. */
  const fileCall = (req: http.IncomingMessage, res: http.ServerResponse, name: string, raw: Buffer): boolean => {
    const auth = String(req.headers.authorization ?? '');
    const download = /^\/file\/([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (download && (req.method === 'GET' || req.method === 'HEAD')) {
      const bucketId = [...buckets.entries()].find(([, b]) => b.bucketName === download[1])?.[0];
      const fileName = decodeURIComponent(download[2]);
      if (!bucketId || !allowedFile(auth, bucketId, fileName)) return handled(fail(res, 401, 'unauthorized', 'not allowed'));
      const f = files.get(bucketId)?.get(fileName);
      if (!f) return handled(fail(res, 404, 'not_found', `File with such name does not exist: ${fileName}`));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.data.length), 'x-bz-file-id': f.fileId });
      res.end(req.method === 'HEAD' ? undefined : f.data);
      return true;
    }
    const upload = /^\/upload\/([0-9a-f]+)$/.exec(req.url ?? '');
    if (upload && req.method === 'POST') {
      const fileName = decodeURIComponent(String(req.headers['x-bz-file-name'] ?? ''));
      if (!allowedFile(auth, upload[1], fileName) || !buckets.has(upload[1])) return handled(fail(res, 401, 'unauthorized', 'not allowed'));
      if (createHash('sha1').update(raw).digest('hex') !== req.headers['x-bz-content-sha1']) return handled(fail(res, 400, 'bad_request', 'Checksum did not match data received'));
      const fileId = `4_z${randomBytes(12).toString('hex')}`;
      bucketFiles(upload[1]).set(fileName, { fileId, data: raw });
      calls.push({ name: 'upload', body: { fileName } });
      return handled(send(res, 200, { fileId, fileName, bucketId: upload[1], contentLength: raw.length, action: 'upload' }));
    }
    if (!['b2_get_upload_url', 'b2_list_file_names', 'b2_list_file_versions', 'b2_delete_file_version'].includes(name)) return false;
    let body: Record<string, any>;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return handled(fail(res, 400, 'bad_json', 'body is not JSON'));
    }
    calls.push({ name, body });
    if (failOn.has(name)) return handled(fail(res, 403, 'cap_exceeded', `Cap exceeded for ${name}`));
    if (name === 'b2_delete_file_version') {
      const entry = [...files.entries()].find(([, m]) => m.get(body.fileName)?.fileId === body.fileId);
      if (!entry || !allowedFile(auth, entry[0], body.fileName)) return handled(fail(res, 400, 'file_not_present', `File not present: ${body.fileName} ${body.fileId}`));
      entry[1].delete(body.fileName);
      return handled(send(res, 200, { fileId: body.fileId, fileName: body.fileName }));
    }
    // A prefix-restricted key may get an upload URL; it may list only under its prefix.
    if (!buckets.has(body.bucketId) || !allowedFile(auth, body.bucketId, name === 'b2_get_upload_url' ? (sessions.get(auth)?.namePrefix ?? '') : String(body.prefix ?? ''))) return handled(fail(res, 401, 'unauthorized', 'not allowed for this bucket or prefix'));
    if (name === 'b2_get_upload_url') {
      const uploadToken = `4_up_${randomBytes(12).toString('hex')}`;
      sessions.set(uploadToken, sessions.get(auth) ?? {});
      return handled(send(res, 200, { bucketId: body.bucketId, uploadUrl: `${url}/upload/${body.bucketId}`, authorizationToken: uploadToken }));
    }
    const prefix = String(body.prefix ?? '');
    const start = String(body.startFileName ?? '');
    const max = Math.min(Number(body.maxFileCount ?? 100) || 100, 10_000);
    const m = bucketFiles(body.bucketId);
    // With a delimiter, names below the next delimiter after the prefix collapse into one "folder" entry.
    const entries = new Map<string, { fileName: string; fileId: string | null; contentLength: number; action: string; uploadTimestamp: number }>();
    for (const n of [...m.keys()].filter((x) => x.startsWith(prefix)).sort()) {
      const cut = name === 'b2_list_file_names' && body.delimiter ? n.indexOf(String(body.delimiter), prefix.length) : -1;
      if (cut >= 0) entries.set(n.slice(0, cut + 1), { fileName: n.slice(0, cut + 1), fileId: null, contentLength: 0, action: 'folder', uploadTimestamp: 0 });
      else entries.set(n, { fileName: n, fileId: m.get(n)!.fileId, contentLength: m.get(n)!.data.length, action: 'upload', uploadTimestamp: Date.now() });
    }
    const all = [...entries.values()].filter((e) => e.fileName >= start);
    return handled(send(res, 200, { files: all.slice(0, max), nextFileName: all[max]?.fileName ?? null, ...(name === 'b2_list_file_versions' ? { nextFileId: null } : {}) }));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      const name = (req.url ?? '').replace(/^\/b2api\/v2\//, '');
      if (name === 'b2_authorize_account') {
        const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        const [keyId, ...rest] = basic.split(':');
        const made = keys.get(keyId);
        if (made && made.applicationKey === rest.join(':')) {
          const sessionToken = `4_s_${randomBytes(16).toString('hex')}`;
          sessions.set(sessionToken, { bucketId: made.bucketId, namePrefix: made.namePrefix });
          calls.push({ name, body: { keyId } });
          const bucketName = made.bucketId ? (buckets.get(made.bucketId)?.bucketName ?? null) : null;
          return send(res, 200, { accountId, authorizationToken: sessionToken, apiUrl: url, downloadUrl: url, s3ApiUrl: '', recommendedPartSize: 100_000_000, absoluteMinimumPartSize: 5_000_000, allowed: { capabilities: made.capabilities, bucketId: made.bucketId ?? null, bucketName, namePrefix: made.namePrefix ?? null } });
        }
        if (basic !== `${master.keyId}:${master.appKey}`) return fail(res, 401, 'unauthorized', 'Invalid application key');
        calls.push({ name, body: {} });
        return send(res, 200, { accountId, authorizationToken: token, apiUrl: url, downloadUrl: url, s3ApiUrl: '', recommendedPartSize: 100_000_000, absoluteMinimumPartSize: 5_000_000, allowed: { capabilities: ['all'], bucketId: null, namePrefix: null } });
      }
      if (fileCall(req, res, name, raw)) return;
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
          if (bucketFiles(body.bucketId).size > 0) return fail(res, 400, 'cannot_delete_non_empty_bucket', 'Cannot delete non-empty bucket');
          if (!needAccount() || !buckets.delete(body.bucketId)) return fail(res, 400, 'bad_request', 'Bucket does not exist');
          return send(res, 200, { accountId, bucketId: body.bucketId });
        case 'b2_create_key': {
          if (!needAccount()) return fail(res, 400, 'bad_request', 'accountId is wrong');
          if (!Array.isArray(body.capabilities) || !/^[a-zA-Z0-9-]{1,100}$/.test(body.keyName ?? '')) return fail(res, 400, 'bad_request', 'capabilities and keyName are required');
          if (body.namePrefix && !body.bucketId) return fail(res, 400, 'bad_request', 'namePrefix needs bucketId');
          if (body.bucketId && !buckets.has(body.bucketId)) return fail(res, 400, 'bad_request', 'Bucket does not exist');
          const applicationKeyId = `005${randomBytes(10).toString('hex')}`;
          const applicationKey = `K005${randomBytes(14).toString('hex')}`;
          keys.set(applicationKeyId, { keyName: body.keyName, capabilities: body.capabilities, bucketId: body.bucketId, namePrefix: body.namePrefix, applicationKey });
          return send(res, 200, { accountId, applicationKeyId, applicationKey, keyName: body.keyName, capabilities: body.capabilities, bucketId: body.bucketId ?? null, namePrefix: body.namePrefix ?? null });
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
    bucketFiles(bucketId).set(fileName, { fileId: `4_z${randomBytes(12).toString('hex')}`, data: Buffer.alloc(0) });
  };
  return { url, accountId, buckets, keys, calls, failOn, files, putFile, close: () => new Promise<void>((r) => server.close(() => r())) };
}
