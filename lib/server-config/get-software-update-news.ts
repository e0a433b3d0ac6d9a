// admin/meta/software-update-news: Halley's own release feed (HALLEY_UPDATE_FEED_URL, a JSON document in
// SoftwareUpdateNewsResponse's shape), fetched through the outbound guard, cached for
// HALLEY_UPDATE_FEED_CACHE_SECONDS (an hour). It never fails: when the feed is unreachable, answers an error or
// something that is not its JSON, it answers the last news it read, or (none yet, or no feed) this version as
// the latest and no news, and tries the feed again after a minute.
import http from 'node:http';
import https from 'node:https';
import { env } from '../env';
import { log } from '../log';
import { HALLEY_VERSION } from '../meta/version';
import { guardedLookup, literalRefusal, urlHost } from '../net/outbound-guard';
import { allowPrivateTargets } from '../net/private-targets';
import { shapeWire } from '../profile/mapper';
import { isHttpUrl } from '../validation/http-url';

const FAILURE_CACHE_MS = 60_000;
const TIMEOUT_MS = 5000;
const MAX_BYTES = 256 * 1024;
let cached: { value: Record<string, unknown>; until: number } | undefined;
/** The last news the feed answered: what an unreachable feed is answered with. */
let lastGood: Record<string, unknown> | undefined;

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
  const cacheMs = env().HALLEY_UPDATE_FEED_CACHE_SECONDS * 1000;
  let value: Record<string, unknown>;
  let ttl = cacheMs;
  let good = true;
  try {
    value = feed ? await fetchFeed(feed) : fallback();
  } catch (err) {
    // Unreachable, an error status, not JSON, too large: the last news this process fetched, or none.
    log.warn({ err: (err as Error).message }, 'software-update-news: the update feed could not be read');
    value = lastGood ?? fallback();
    ttl = Math.min(FAILURE_CACHE_MS, cacheMs);
    good = false;
  }
  let shaped: Record<string, unknown>;
  try {
    shaped = shapeWire('SoftwareUpdateNewsResponse', value) as Record<string, unknown>;
  } catch {
    shaped = shapeWire('SoftwareUpdateNewsResponse', fallback()) as Record<string, unknown>;
  }
  if (good && feed) lastGood = shaped;
  cached = { value: shaped, until: Date.now() + ttl };
  return shaped;
}
