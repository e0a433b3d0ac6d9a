// The one guarded S3 client factory: every S3-compatible endpoint Halley contacts (storage templates,
// server-side ping-destination, and later self-backup) gets an @aws-sdk/client-s3 client whose HTTP
// agents resolve through lib/net's guardedLookup, so it only ever connects to addresses the outbound
// guard allowed. IP-literal hosts (which Node connects to without a lookup) are checked up front.
import http from 'node:http';
import https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { env } from '../env';
import { BadRequestError } from '../errors';
import { guardedLookup, literalRefusalMessage, TargetRefusedError, urlHost } from '../net/outbound-guard';
import { apiMessage } from '../i18n/api-messages';
import { withDefaultScheme } from '../validation/url-parts';

type S3Target = {
  /** "host[:port]" or a URL; without a scheme, `useTls` decides. */
  endpoint: string;
  useTls?: boolean;
  region?: string;
  accessKey: string;
  secretKey: string;
  allowPrivate: boolean;
  timeoutMs?: number;
};

/** The endpoint as a URL: "https://s3.example.com" or "host:port" (+ TLS flag) both work. */
export function s3EndpointUrl(endpoint: string, useTls = true): URL {
  const text = endpoint.trim();
  if (text === '') throw new BadRequestError(apiMessage('s3EndpointEmpty'));
  let url: URL;
  try {
    url = new URL(withDefaultScheme(text, useTls ? 'https' : 'http'));
  } catch {
    throw new BadRequestError(apiMessage('s3EndpointInvalid', { value: text.slice(0, 200) }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequestError(apiMessage('s3EndpointScheme'));
  if (url.username || url.password) throw new BadRequestError(apiMessage('s3EndpointCredentials'));
  return url;
}

export function guardedS3Client(target: S3Target): S3Client {
  const url = s3EndpointUrl(target.endpoint, target.useTls ?? true);
  const why = literalRefusalMessage(urlHost(url), target.allowPrivate, 'storage endpoint');
  if (why) throw new TargetRefusedError(why);
  const lookup = guardedLookup(target.allowPrivate, 'storage endpoint') as never;
  const timeout = target.timeoutMs ?? env().HALLEY_STORAGE_TIMEOUT_MS;
  return new S3Client({
    endpoint: url.origin,
    region: target.region || 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKey, secretAccessKey: target.secretKey },
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      httpAgent: new http.Agent({ keepAlive: true, lookup }),
      httpsAgent: new https.Agent({ keepAlive: true, lookup }),
      connectionTimeout: timeout,
      requestTimeout: timeout,
    }),
  });
}
