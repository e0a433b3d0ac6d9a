// A small Comet-style API client for the tests, encoding parameters the way the official SDKs do:
// 'go' sends booleans as true/false, 'js'/'php' as 1/0; objects are JSON text in a form field.
export type Creds = { username: string; password?: string; sessionKey?: string; totp?: string };
export type Style = 'go' | 'js';
export type ParamValue = string | number | boolean | object | null | undefined;

export type CallResult = { http: number; body: any; text: string; headers: Headers };

/** The HTTP status an answer must have: 200, except a text/file endpoint's error, which carries its Status. */
export function expectedHttp(endpoint: { responseFormat?: string }, body: any): number {
  return endpoint.responseFormat && typeof body?.Status === 'number' && body.Status >= 400 ? body.Status : 200;
}

export function encodeForm(creds: Creds | null, params: Record<string, ParamValue>, style: Style = 'go'): URLSearchParams {
  const form = new URLSearchParams();
  if (creds) {
    form.set('Username', creds.username);
    if (creds.sessionKey) {
      form.set('AuthType', 'SessionKey');
      form.set('SessionKey', creds.sessionKey);
    } else if (creds.totp) {
      form.set('AuthType', 'PasswordTOTP');
      form.set('Password', creds.password ?? '');
      form.set('TOTP', creds.totp);
    } else {
      form.set('AuthType', 'Password');
      form.set('Password', creds.password ?? '');
    }
  }
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (typeof v === 'string') form.set(k, v);
    else if (typeof v === 'boolean') form.set(k, style === 'go' ? String(v) : v ? '1' : '0');
    else if (typeof v === 'number') form.set(k, String(v));
    else form.set(k, JSON.stringify(v));
  }
  return form;
}

export class CometClient {
  constructor(
    readonly baseUrl: string,
    public creds: Creds | null,
    readonly style: Style = 'go',
  ) {}

  async raw(path: string, init: RequestInit): Promise<CallResult> {
    const res = await fetch(new URL(path, this.baseUrl), init);
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { http: res.status, body, text, headers: res.headers };
  }

  /** POSTs a form; returns the decoded body whatever its Status. */
  async call(path: string, params: Record<string, ParamValue> = {}): Promise<CallResult> {
    return this.raw(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(this.creds, params, this.style).toString(),
    });
  }

  /**
   * Like call(), but fails the test unless the call succeeded (the Go SDK's rule: an error is Status >= 400
   * with a non-empty Message; a BackupJobDetail's own Status field, e.g. 5000, is not one).
   */
  async ok(path: string, params: Record<string, ParamValue> = {}): Promise<any> {
    const r = await this.call(path, params);
    if (r.http !== 200 || (r.body && typeof r.body.Status === 'number' && r.body.Status >= 400 && r.body.Message)) {
      throw new Error(`${path} failed: HTTP ${r.http} ${r.text.slice(0, 500)}`);
    }
    return r.body;
  }

  /** Expects a Comet error; returns {Status, Message}. */
  async fails(path: string, params: Record<string, ParamValue> = {}): Promise<{ Status: number; Message: string }> {
    const r = await this.call(path, params);
    // HTTP 200, or (text and file endpoints, unknown paths) the body's Status on the HTTP line too.
    if ((r.http !== 200 && r.http !== r.body?.Status) || !r.body || typeof r.body.Status !== 'number' || r.body.Status < 400 || !r.body.Message) {
      throw new Error(`${path} was expected to fail with {Status>=400, Message}, got HTTP ${r.http} ${r.text.slice(0, 300)}`);
    }
    return r.body;
  }
}
