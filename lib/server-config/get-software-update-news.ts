// admin/meta/software-update-news: Halley's own release feed (HALLEY_UPDATE_FEED_URL, a JSON document in
// SoftwareUpdateNewsResponse's shape), fetched through the outbound guard, cached for an hour. It never
// fails: without a feed, or when the feed is unreachable or malformed, it answers this version as the
// latest and no news.
import http from 'node:http';
import https from 'node:https';
import { env } from '../env';
import { HALLEY_VERSION } from '../meta/version';
import { guardedLookup, literalRefusal, urlHost } from '../net/outbound-guard';
import { allowPrivateTargets } from '../net/private-targets';
import { shapeWire } from '../profile/mapper';
import { isHttpUrl } from '../validation/http-url';

const CACHE_MS = 3600_000;
const FAILURE_CACHE_MS = 60_000;
const TIMEOUT_MS = 5000;
const MAX_BYTES = 256 * 1024;
let cached: { value: Record<string, unknown>; until: number } | undefined;

const fallback = () => ({ latest_stable: HALLEY_VERSION, latest_prerelease: '', downloads_url: '', updates_info: [] as string[] });

async function fetchFeed(feedUrl: string): Promise<Record<string, unknown>> {
  const url = new URL(feedUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('the feed must be http:// or https://');
  const allowPrivate = await allowPrivateTargets();
  const refused = literalRefusal(urlHost(url), allowPrivate, 'update feed');
  if (refused) throw new Error(refused);
  const client = url.protocol === 'https:' ? https : http;
  const text = await new Promise<string>((resolve, reject) => {
    const req = client.get(url, { lookup: guardedLookup(allowPrivate, 'update feed') as never, timeout: TIMEOUT_MS, headers: { accept: 'application/json', 'user-agent': `Halley/${HALLEY_VERSION}` } }, (res) => {
      if ((res.statusCode ?? 0) !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) req.destroy(new Error('the feed is too large'));
        else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
  const j = JSON.parse(text) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : '');
  return {
    latest_stable: str(j.latest_stable) || HALLEY_VERSION,
    latest_prerelease: str(j.latest_prerelease),
    downloads_url: isHttpUrl(str(j.downloads_url)) ? str(j.downloads_url) : '',
    updates_info: Array.isArray(j.updates_info) ? j.updates_info.filter((x) => typeof x === 'string').slice(0, 50).map((x) => (x as string).slice(0, 2000)) : [],
  };
}

export async function getSoftwareUpdateNews(): Promise<Record<string, unknown>> {
  if (cached && cached.until > Date.now()) return cached.value;
  const feed = env().HALLEY_UPDATE_FEED_URL;
  let value: Record<string, unknown>;
  let ttl = CACHE_MS;
  try {
    value = feed ? await fetchFeed(feed) : fallback();
  } catch {
    value = fallback();
    ttl = FAILURE_CACHE_MS;
  }
  const shaped = shapeWire('SoftwareUpdateNewsResponse', value) as Record<string, unknown>;
  cached = { value: shaped, until: Date.now() + ttl };
  return shaped;
}
