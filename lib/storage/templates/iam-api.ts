// The IAM query API (Action=...&Version=2010-05-08, form-encoded POST, SigV4, XML answers) as AWS,
// Wasabi, iDrive e2 and other IAM-compatible services speak it: just the calls a Storage Template needs
// to give each vault its own user, key and bucket-scoped policy. Every request goes through the outbound
// guard (guardedRequest); an error answer becomes an Error carrying the service's Code and Message.
import { guardedRequest } from '../guarded-request';
import { signV4 } from './sigv4';
import { withDefaultScheme } from '../../validation/url-parts';

type TIamTarget = { endpoint: string; region: string; accessKey: string; secretKey: string };

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of the first <tag>…</tag> in an XML answer (the IAM answers are flat enough for this). */
export function xmlValue(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? m[1].replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]) : null;
}

class IamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The IAM endpoint as a URL ("iam.example.com" means https://). */
function iamUrl(endpoint: string): URL {
  const text = endpoint.trim();
  const url = new URL(withDefaultScheme(text, 'https'));
  if (url.pathname === '') url.pathname = '/';
  return url;
}

/** One IAM action; answers the XML body of a 2xx answer. */
export async function iamCall(target: TIamTarget, action: string, params: Record<string, string>): Promise<string> {
  const url = iamUrl(target.endpoint);
  const body = new URLSearchParams({ Action: action, ...params, Version: '2010-05-08' }).toString();
  const headers = signV4(
    { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
    { accessKey: target.accessKey, secretKey: target.secretKey, region: target.region || 'us-east-1', service: 'iam' },
  );
  const res = await guardedRequest(url.toString(), { method: 'POST', headers, body }, 'IAM endpoint');
  if (res.status >= 200 && res.status < 300) return res.text;
  const code = xmlValue(res.text, 'Code') ?? `HTTP ${res.status}`;
  throw new IamError(code, `IAM ${action} at ${url.host}: ${code}: ${(xmlValue(res.text, 'Message') ?? res.text).slice(0, 200)}`);
}
