// A local stand-in for an IAM query API (AWS IAM, Wasabi's and iDrive e2's IAM-compatible endpoints).
// A mock only because the real services cannot run here: it speaks the documented wire format (form-
// encoded POST, Action/Version, SigV4 Authorization, XML answers and ErrorResponse), checks every request's
// signature against the master key, keeps users, inline policies and access keys, and records the calls
// so tests can check the policy documents. `onKey` / `onKeyDeleted` let a test make the minted keys
// real elsewhere (s3rver's account registry). `failOn` makes one action answer an error.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signV4 } from '../../lib/storage/templates/sigv4';

export type IamCall = { action: string; params: Record<string, string>; signedBy: string };

export type FakeIam = {
  url: string;
  calls: IamCall[];
  users: Map<string, { policies: Map<string, string>; keys: Set<string>; path?: string }>;
  failOn: Set<string>;
  close(): Promise<void>;
};

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startFakeIam(master: { accessKey: string; secretKey: string; region?: string }, hooks: { onKey?: (id: string, secret: string) => void; onKeyDeleted?: (id: string) => void } = {}): Promise<FakeIam> {
  const calls: IamCall[] = [];
  const users = new Map<string, { policies: Map<string, string>; keys: Set<string>; path?: string }>();
  const failOn = new Set<string>();
  const answer = (res: http.ServerResponse, status: number, xml: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
  };
  const error = (res: http.ServerResponse, status: number, code: string, message: string) =>
    answer(res, status, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${randomBytes(8).toString('hex')}</RequestId></ErrorResponse>`);
  const ok = (res: http.ServerResponse, action: string, result: string) =>
    answer(res, 200, `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata></${action}Response>`);

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      // SigV4: recompute the signature over the headers the client says it signed.
      const auth = String(req.headers.authorization ?? '');
      const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/iam\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
      if (!m) return error(res, 403, 'IncompleteSignature', 'Authorization header missing or not SigV4');
      const [, keyId, , region, signedHeaders, signature] = m;
      if (keyId !== master.accessKey) return error(res, 403, 'InvalidClientTokenId', 'The security token included in the request is invalid');
      const stamp = String(req.headers['x-amz-date'] ?? '');
      const when = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
      const headers: Record<string, string> = {};
      for (const h of signedHeaders.split(';')) if (h !== 'host' && h !== 'x-amz-date') headers[h] = String(req.headers[h] ?? '');
      const expected = signV4({ method: req.method ?? 'POST', url: new URL(req.url ?? '/', `http://${req.headers.host}`), headers, body }, { accessKey: keyId, secretKey: master.secretKey, region, service: 'iam' }, when);
      if (!expected.authorization.endsWith(`Signature=${signature}`)) return error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided');
      if (master.region && region !== master.region) return error(res, 403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${region}'`);

      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params.Action ?? '';
      calls.push({ action, params, signedBy: keyId });
      if (params.Version !== '2010-05-08') return error(res, 400, 'InvalidParameterValue', 'Version must be 2010-05-08');
      if (failOn.has(action)) return error(res, 409, 'LimitExceeded', `Cannot exceed quota for ${action}`);
      const user = users.get(params.UserName ?? '');
      switch (action) {
        case 'ListUsers':
          return ok(res, action, `<Users>${[...users.entries()].filter(([, u]) => (u.path ?? '/').startsWith(params.PathPrefix ?? '/')).map(([u]) => `<member><UserName>${u}</UserName></member>`).join('')}</Users><IsTruncated>false</IsTruncated>`);
        case 'ListAccessKeys':
          if (!user) return error(res, 404, 'NoSuchEntity', `The user with name ${params.UserName} cannot be found.`);
          return ok(res, action, `<AccessKeyMetadata>${[...user.keys].map((k) => `<member><UserName>${params.UserName}</UserName><AccessKeyId>${k}</AccessKeyId><Status>Active</Status></member>`).join('')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`);
        case 'ListUserPolicies':
          if (!user) return error(res, 404, 'NoSuchEntity', `The user with name ${params.UserName} cannot be found.`);
          return ok(res, action, `<PolicyNames>${[...user.policies.keys()].map((p) => `<member>${xmlEscape(p)}</member>`).join('')}</PolicyNames><IsTruncated>false</IsTruncated>`);
        case 'GetUserPolicy': {
          const doc = user?.policies.get(params.PolicyName);
          if (doc === undefined) return error(res, 404, 'NoSuchEntity', 'The user policy cannot be found.');
          // AWS answers the document URL-encoded.
          return ok(res, action, `<UserName>${params.UserName}</UserName><PolicyName>${xmlEscape(params.PolicyName)}</PolicyName><PolicyDocument>${xmlEscape(encodeURIComponent(doc))}</PolicyDocument>`);
        }
        case 'CreateUser':
          if (!/^[\w+=,.@-]{1,64}$/.test(params.UserName ?? '')) return error(res, 400, 'ValidationError', 'UserName is invalid');
          if (user) return error(res, 409, 'EntityAlreadyExists', `User with name ${params.UserName} already exists.`);
          users.set(params.UserName, { policies: new Map(), keys: new Set(), path: params.Path ?? '/' });
          return ok(res, action, `<User><Path>${xmlEscape(params.Path ?? '/')}</Path><UserName>${params.UserName}</UserName><UserId>AIDA${randomBytes(8).toString('hex').toUpperCase()}</UserId></User>`);
        case 'PutUserPolicy':
          if (!user) return error(res, 404, 'NoSuchEntity', `The user with name ${params.UserName} cannot be found.`);
          try {
            JSON.parse(params.PolicyDocument ?? '');
          } catch {
            return error(res, 400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
          }
          user.policies.set(params.PolicyName, params.PolicyDocument);
          return ok(res, action, '');
        case 'CreateAccessKey': {
          if (!user) return error(res, 404, 'NoSuchEntity', `The user with name ${params.UserName} cannot be found.`);
          const id = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
          const secret = randomBytes(30).toString('base64');
          user.keys.add(id);
          hooks.onKey?.(id, secret);
          return ok(res, action, `<AccessKey><UserName>${params.UserName}</UserName><AccessKeyId>${id}</AccessKeyId><Status>Active</Status><SecretAccessKey>${xmlEscape(secret)}</SecretAccessKey></AccessKey>`);
        }
        case 'DeleteAccessKey':
          if (!user?.keys.delete(params.AccessKeyId)) return error(res, 404, 'NoSuchEntity', 'The Access Key cannot be found.');
          hooks.onKeyDeleted?.(params.AccessKeyId);
          return ok(res, action, '');
        case 'DeleteUserPolicy':
          if (!user?.policies.delete(params.PolicyName)) return error(res, 404, 'NoSuchEntity', 'The user policy cannot be found.');
          return ok(res, action, '');
        case 'DeleteUser':
          if (!user) return error(res, 404, 'NoSuchEntity', `The user with name ${params.UserName} cannot be found.`);
          if (user.keys.size || user.policies.size) return error(res, 409, 'DeleteConflict', 'Cannot delete entity, must delete policies and access keys first.');
          users.delete(params.UserName);
          return ok(res, action, '');
        default:
          return error(res, 400, 'InvalidAction', `Could not find operation ${action}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    users,
    failOn,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
