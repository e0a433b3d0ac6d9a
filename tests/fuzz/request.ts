// One fuzzed HTTP request (method, content type, form fields in order, raw oddities) and its encoding.
// Form fields are encoded by hand: URLSearchParams would turn a lone surrogate into U+FFFD, and the
// server must see the raw bytes (ED A0 80) a hostile client can send.
import fc from 'fast-check';
import type { ParamSpec } from '../../lib/api/params';
import { paramValueArb, stringArb, type Pool } from './arbitraries';
import type { ActorName } from './world';

export type Envelope = 'form' | 'form-charset' | 'no-type' | 'json' | 'text' | 'multipart' | 'multipart-broken' | 'raw-garbage';

export type FuzzRequest = {
  actor: ActorName;
  method: string;
  envelope: Envelope;
  /** Credential and parameter fields, in order; a key may repeat. */
  fields: Array<[string, string]>;
};

function encodeComponent(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isHigh = c >= 0xd800 && c <= 0xdbff;
    const next = s.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s[i] + s[i + 1]);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate as generalized UTF-8 (what WTF-8 / CESU-8 writers send).
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(s[i]);
    }
  }
  return out;
}

export function formText(fields: Array<[string, string]>): string {
  return fields.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
}

export function toFetchInit(req: FuzzRequest): RequestInit {
  const method = req.method;
  const bodyless = method === 'GET' || method === 'HEAD';
  const form = formText(req.fields);
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  switch (req.envelope) {
    case 'form':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = form;
      break;
    case 'form-charset':
      headers['content-type'] = 'application/x-www-form-urlencoded; charset=ISO-8859-1';
      body = form;
      break;
    case 'no-type':
      body = Buffer.from(form);
      break;
    case 'json':
      headers['content-type'] = 'application/json';
      body = JSON.stringify(Object.fromEntries(req.fields));
      break;
    case 'text':
      headers['content-type'] = 'text/plain';
      body = form;
      break;
    case 'multipart': {
      const fd = new FormData();
      for (const [k, v] of req.fields) fd.append(k, v);
      body = fd;
      break;
    }
    case 'multipart-broken':
      headers['content-type'] = 'multipart/form-data; boundary=fuzzboundary';
      body = `--fuzzboundary\r\nContent-Disposition: form-data; name="Username"\r\n\r\n${form.slice(0, 200)}`;
      break;
    case 'raw-garbage':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = `${form}&%ZZ=%&=&&%FF%FE=%C0%80&a%00=1`;
      break;
  }
  return { method, headers, body: bodyless ? undefined : body, redirect: 'manual', signal: AbortSignal.timeout(30_000) };
}

/** Short, printable description of a request for failure messages (huge values abbreviated). */
export function describeRequest(path: string, req: FuzzRequest): string {
  const fields = req.fields.map(([k, v]) => `${k}=${JSON.stringify(v.length > 120 ? `${v.slice(0, 100)}…(${v.length} chars)` : v)}`);
  return `${req.method} ${path} as ${req.actor}, ${req.envelope}: ${fields.join(' & ')}`;
}

export type AuthKind = 'admin' | 'user' | 'admin-or-user' | 'admin-or-public-download' | 'none';

export function actorsFor(auth: AuthKind): ActorName[] {
  switch (auth) {
    case 'admin':
    case 'admin-or-public-download':
      return ['none', 'tenant-full', 'tenant-limited', 'top'];
    case 'user':
      return ['none', 'user', 'tenant-full'];
    case 'admin-or-user':
      return ['none', 'user', 'tenant-full', 'top'];
    case 'none':
      return ['none', 'tenant-full', 'top'];
  }
}

const METHODS = fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') });
const ENVELOPES = fc.oneof(
  { weight: 16, arbitrary: fc.constant<Envelope>('form') },
  { weight: 1, arbitrary: fc.constantFrom<Envelope>('form-charset', 'no-type', 'json', 'text', 'multipart', 'multipart-broken', 'raw-garbage') },
);

/**
 * Credentials of one actor. Anonymous callers try everything: no credentials, unknown or hostile
 * usernames with a password (the slow path, kept to a third), made-up session keys, odd AuthTypes.
 */
function credentialFields(actor: ActorName, sessionKeyOf: (a: ActorName) => { username: string; sessionKey?: string } | null, pool: Pool): fc.Arbitrary<Array<[string, string]>> {
  const s = stringArb(pool);
  if (actor === 'none') {
    const known = pool.admins.length ? fc.constantFrom(...pool.admins, ...pool.users) : s;
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant<Array<[string, string]>>([]) },
      { weight: 3, arbitrary: fc.tuple(fc.oneof(s, known), s).map(([u, p]): Array<[string, string]> => [['Username', u], ['AuthType', 'Password'], ['Password', p]]) },
      { weight: 3, arbitrary: fc.tuple(fc.oneof(s, known), s).map(([u, k]): Array<[string, string]> => [['Username', u], ['AuthType', 'SessionKey'], ['SessionKey', k]]) },
      { weight: 1, arbitrary: fc.tuple(s, s).map(([u, t]): Array<[string, string]> => [['Username', u], ['AuthType', t]]) },
      { weight: 1, arbitrary: fc.tuple(s, s, s).map(([u, p, t]): Array<[string, string]> => [['Username', u], ['AuthType', 'PasswordTOTP'], ['Password', p], ['TOTP', t]]) },
    );
  }
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('drop-username', 'other-username', 'extra-totp', 'webauthn-junk') },
  ).map((mutation): Array<[string, string]> => {
    const c = sessionKeyOf(actor)!;
    const fields: Array<[string, string]> = [['Username', c.username], ['AuthType', 'SessionKey'], ['SessionKey', c.sessionKey ?? '']];
    if (mutation === 'drop-username') fields.shift();
    if (mutation === 'other-username') fields[0] = ['Username', `${c.username}x`];
    if (mutation === 'extra-totp') fields.push(['TOTP', '000000']);
    if (mutation === 'webauthn-junk') fields.push(['WebAuthnSign', '{"x":"\u0000"}']);
    return fields;
  });
}

const EXTRA_KEYS = ['__proto__', 'constructor', 'Unknown', 'TargetOrganization', 'toString', 'Username'];

/** Parameter fields: each omitted, given, or given twice; sometimes an extra unknown or duplicate key. */
function paramFields(shape: Record<string, ParamSpec>, pool: Pool): fc.Arbitrary<Array<[string, string]>> {
  const entries = Object.entries(shape);
  const perParam = entries.map(([name, spec]) =>
    fc.oneof(
      { weight: spec.optional ? 3 : 1, arbitrary: fc.constant<Array<[string, string]>>([]) },
      { weight: 8, arbitrary: paramValueArb(name, spec, pool).map((v): Array<[string, string]> => [[name, v]]) },
      { weight: 1, arbitrary: fc.tuple(paramValueArb(name, spec, pool), paramValueArb(name, spec, pool)).map(([v, w]): Array<[string, string]> => [[name, v], [name, w]]) },
    ),
  );
  const extra = fc.oneof(
    { weight: 8, arbitrary: fc.constant<Array<[string, string]>>([]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...EXTRA_KEYS), stringArb(pool)).map(([k, v]): Array<[string, string]> => [[k, v]]) },
  );
  return fc.tuple(fc.tuple(...perParam), extra).map(([ps, x]) => [...ps.flat(), ...x]);
}

export function requestArb(
  endpoint: { auth: AuthKind; params: Record<string, ParamSpec> },
  pool: Pool,
  sessionKeyOf: (a: ActorName) => { username: string; sessionKey?: string } | null,
): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...actorsFor(endpoint.auth)).chain((actor) =>
    fc.record({
      actor: fc.constant(actor),
      method: METHODS,
      envelope: ENVELOPES,
      fields: fc.tuple(credentialFields(actor, sessionKeyOf, pool), paramFields(endpoint.params, pool)).map(([c, p]) => [...c, ...p]),
    }),
  );
}
