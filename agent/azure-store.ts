// An Azure Blob Storage container as a vault's object store (DESTINATIONTYPE_AZUREBLOB: AZBAccountName,
// AZBAccountKey, the storage account's base64 key; AZBContainer; AZBPrefix, an optional folder in the container;
// AZBRealm, the endpoint suffix). The Blob REST API is spoken over fetch with Shared Key authorization (an
// HMAC-SHA256 of the canonical request with the account key), as B2Store speaks B2's API by hand: no Azure SDK.
// Put Blob is atomic (a blob appears whole or not at all), so no temporary objects are needed.
//
// Endpoints: an empty AZBRealm is Azure's public cloud, core.windows.net; a suffix (core.chinacloudapi.cn,
// core.usgovcloudapi.net, …) gives https://{account}.blob.{suffix}/{container}/…. AZBRealm may also be a full
// http:// or https:// URL (an emulator such as Azurite, http://127.0.0.1:10000, or another custom endpoint): then
// the account is the first path segment, {url}/{account}/{container}/… (the emulator convention).
import { createHmac } from 'node:crypto';
import { objectOrNull } from './http-object';
import type { ObjectStore } from './vault-stores';

type Json = Record<string, any>;
type StoredObject = { key: string; size: number };

const API_VERSION = '2021-08-06';
const DEFAULT_REALM = 'core.windows.net';
/** Azure answers 500 and 503 (ServerBusy) under load and asks callers to try again. */
const RETRY_DELAYS_MS = [250, 1000];

/** The Blob service base URL of `account` for an AZBRealm (see the header comment). */
function azureBlobEndpoint(account: string, realm: string): string {
  const r = realm.trim();
  if (r.includes('://')) {
    let url: URL;
    try {
      url = new URL(r);
    } catch {
      throw new Error(`The Azure vault's AZBRealm "${r.slice(0, 200)}" is neither an endpoint suffix nor a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`The Azure vault's AZBRealm URL must start with http:// or https://, not ${url.protocol}`);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(account)}`;
  }
  const suffix = r.replace(/^\.+|\.+$/g, '') || DEFAULT_REALM;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(suffix)) throw new Error(`The Azure vault's AZBRealm "${r.slice(0, 200)}" is not an endpoint suffix such as core.windows.net`);
  return `https://${account}.blob.${suffix}`;
}

/**
 * One Blob service request with Shared Key authorization: `account`'s base64 `key` signs the verb, the standard
 * headers, the x-ms-* headers and the resource (/{account}{path} plus the query parameters, sorted).
 */
export function azureSharedKeyRequest(account: string, key: string, method: string, url: string, init: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
  const u = new URL(url);
  const headers: Record<string, string> = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': API_VERSION };
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
  const length = init.body?.length ?? 0;
  const standard = ['content-encoding', 'content-language', 'content-length', 'content-md5', 'content-type', 'date', 'if-modified-since', 'if-match', 'if-none-match', 'if-unmodified-since', 'range'];
  const values = standard.map((h) => (h === 'content-length' ? (length ? String(length) : '') : (headers[h] ?? '')));
  const msHeaders = Object.keys(headers)
    .filter((h) => h.startsWith('x-ms-'))
    .sort()
    .map((h) => `${h}:${headers[h]!.replace(/\s+/g, ' ').trim()}\n`)
    .join('');
  const params = new Map<string, string[]>();
  for (const [k, v] of u.searchParams) params.set(k.toLowerCase(), [...(params.get(k.toLowerCase()) ?? []), v]);
  const query = [...params.keys()]
    .sort()
    .map((k) => `\n${k}:${params.get(k)!.sort().join(',')}`)
    .join('');
  const toSign = `${method}\n${values.join('\n')}\n${msHeaders}/${account}${u.pathname}${query}`;
  const signature = createHmac('sha256', Buffer.from(key, 'base64')).update(toSign, 'utf8').digest('base64');
  return fetch(u, {
    method,
    headers: { ...headers, authorization: `SharedKey ${account}:${signature}` },
    body: init.body ? new Uint8Array(init.body) : undefined,
    redirect: 'error',
  });
}

function decodeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');
}

/** "HTTP 404 BlobNotFound": the status and Azure's error code (also sent for HEAD, which has no body). */
function statusOf(res: Response): string {
  const code = res.headers.get('x-ms-error-code');
  return `HTTP ${res.status}${code ? ` ${code}` : ''}`;
}

function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? decodeXml(m[1]!) : undefined;
}

export class AzureBlobStore implements ObjectStore {
  private readonly account: string;
  private readonly key: string;
  private readonly container: string;
  private readonly prefix: string;
  private readonly endpoint: string;
  private readonly base: string;

  constructor(l: Json) {
    this.account = String(l.AZBAccountName ?? '').trim();
    this.key = String(l.AZBAccountKey ?? '').trim();
    this.container = String(l.AZBContainer ?? '').trim();
    const sub = String(l.AZBPrefix ?? '')
      .split('/')
      .filter((s) => s !== '')
      .join('/');
    this.prefix = sub ? `${sub}/` : '';
    this.endpoint = azureBlobEndpoint(this.account, String(l.AZBRealm ?? ''));
    this.base = `${this.endpoint}/${encodeURIComponent(this.container)}`;
  }

  get description() {
    const where = this.endpoint.endsWith(`.blob.${DEFAULT_REALM}`) ? '' : ` at ${this.endpoint}`;
    return `Azure container ${this.container}${this.prefix ? `/${this.prefix}` : ''} in storage account ${this.account}${where}`;
  }

  private url(key: string): string {
    return `${this.base}/${(this.prefix + key).split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * One signed request, tried again after a 500 or 503. A refused key, any other refusal (403) and a missing
   * container throw, named; an unreachable endpoint (a mistyped account name is an unknown host) too.
   */
  private async call(method: string, url: string, init: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await azureSharedKeyRequest(this.account, this.key, method, url, init);
      } catch (err) {
        const cause = (err as { cause?: Error }).cause;
        throw new Error(`${this.description} is not reachable: ${cause?.message ?? (err as Error).message}`);
      }
      if ((res.status === 500 || res.status === 503) && attempt < RETRY_DELAYS_MS.length) {
        await res.arrayBuffer().catch(() => undefined);
        await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
        continue;
      }
      if (res.status === 403) {
        const xml = await res.text().catch(() => '');
        const message = (xmlText(xml, 'Message') ?? '').split('\n')[0]!.trim();
        // Azure says AuthenticationFailed; Azurite says AuthorizationFailure with Azure's AuthenticationFailed text.
        if (res.headers.get('x-ms-error-code') === 'AuthenticationFailed' || /failed to authenticate/i.test(message)) {
          // Azure refuses a request whose x-ms-date is more than 15 minutes off with the same code.
          const detail = xmlText(xml, 'AuthenticationErrorDetail') ?? '';
          const clock = /date|time|expired/i.test(detail) && !/signature/i.test(detail) ? `; this device's clock may be wrong: ${detail.slice(0, 200)}` : '';
          throw new Error(`${this.description}: the account key was refused (${statusOf(res)})${clock}`);
        }
        throw new Error(`${this.description} refused the request: ${statusOf(res)}${message ? `: ${message.slice(0, 200)}` : ''}`);
      }
      if (res.status === 404 && res.headers.get('x-ms-error-code') === 'ContainerNotFound') {
        await res.arrayBuffer().catch(() => undefined);
        throw new Error(`${this.description}: container ${this.container} does not exist (${statusOf(res)})`);
      }
      return res;
    }
  }

  private async failed(res: Response, what: string): Promise<never> {
    const message = (xmlText(await res.text().catch(() => ''), 'Message') ?? '').split('\n')[0]!.trim().slice(0, 200);
    throw new Error(`${what} on ${this.description}: ${statusOf(res)}${message ? `: ${message}` : ''}`);
  }

  async get(key: string) {
    return objectOrNull(await this.call('GET', this.url(key)), (res) => this.failed(res, `reading ${key}`));
  }

  async put(key: string, data: Buffer) {
    const res = await this.call('PUT', this.url(key), { body: data, headers: { 'content-type': 'application/octet-stream', 'x-ms-blob-type': 'BlockBlob' } });
    if (!res.ok) return this.failed(res, `writing ${key}`);
    await res.arrayBuffer().catch(() => undefined);
  }

  async has(key: string) {
    const res = await this.call('HEAD', this.url(key));
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 404) return false;
    if (!res.ok) throw new Error(`checking ${key} on ${this.description}: ${statusOf(res)}`);
    return true;
  }

  async delete(key: string) {
    const res = await this.call('DELETE', this.url(key));
    if (res.status === 404) return void (await res.arrayBuffer().catch(() => undefined));
    if (!res.ok) return this.failed(res, `deleting ${key}`);
    await res.arrayBuffer().catch(() => undefined);
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    // List Blobs returns names in lexicographic order, a page at a time with NextMarker.
    let marker = '';
    for (;;) {
      // encodeURIComponent, not URLSearchParams: a space as %20, never as a '+' a server may take literally.
      const params: Record<string, string> = { restype: 'container', comp: 'list', prefix: this.prefix + prefix, maxresults: '5000', ...(marker ? { marker } : {}) };
      const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      const res = await this.call('GET', `${this.base}?${query}`);
      if (!res.ok) return this.failed(res, 'listing');
      const xml = await res.text();
      for (const m of xml.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
        const name = xmlText(m[1]!, 'Name');
        if (name === undefined || !name.startsWith(this.prefix)) continue;
        yield { key: name.slice(this.prefix.length), size: Number(xmlText(m[1]!, 'Content-Length') ?? 0) };
      }
      marker = xmlText(xml, 'NextMarker') ?? '';
      if (!marker) return;
    }
  }

  async probe() {
    // Get Container Properties first (GET, so a refusal comes with its message), so a missing container is told
    // apart from a write that fails.
    const res = await this.call('GET', `${this.base}?restype=container`);
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      throw new Error(`${this.description}: container ${this.container} does not exist (${statusOf(res)})`);
    }
    if (!res.ok) return this.failed(res, 'opening the container');
    await res.arrayBuffer().catch(() => undefined);
    const key = `.halley-ping-${process.pid}`;
    await this.put(key, Buffer.from('ok'));
    await this.delete(key);
  }
}
