// Load generation and statistics. Requests go through Node's fetch (undici, keep-alive), the whole body
// is read before the clock stops, and every answer is checked (HTTP 200 and not a Comet error body).
// Loops are bounded by a request count and a deadline.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export type Target = { name: 'halley' | 'baseline'; url: string };

export type RequestSpec = {
  path: string;
  form: Record<string, string>;
  /** Sent as Accept-Encoding; fetch's own default (gzip, deflate, br) when absent. */
  acceptEncoding?: string;
};

export type Series = {
  samples: number[];
  errors: number;
  firstError?: string;
  /** Requests sent again after a transport error (see runRequests). */
  retries: number;
  firstRetry?: string;
  bytes: number;
  wallMs: number;
  truncated: boolean;
  /** Server-Timing values summed over the series (baseline only). */
  serverTiming: Record<string, number>;
  /** CPU time (ms) used while this series ran, per process group (see compare's cpu option). */
  cpuMs: Record<string, number>;
  /** Content-Encoding of the responses (count per value, 'none' when absent). */
  encodings: Record<string, number>;
};

export type Stats = { n: number; p50: number; p95: number; p99: number; mean: number; min: number; max: number };

export function emptySeries(): Series {
  return { samples: [], errors: 0, retries: 0, bytes: 0, wallMs: 0, truncated: false, serverTiming: {}, cpuMs: {}, encodings: {} };
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const pick = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN);
  return {
    n: s.length,
    p50: pick(50),
    p95: pick(95),
    p99: pick(99),
    mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN,
    min: s.length ? s[0] : NaN,
    max: s.length ? s[s.length - 1] : NaN,
  };
}

/** Detects the {Status, Message} error answer (Halley answers handled errors with HTTP 200). */
function errorIn(status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 200)}`;
  if (text.length < 400 && /^\{"Status":[1-9]\d*,"Message"/.test(text) && !text.startsWith('{"Status":200')) return text.slice(0, 200);
  return undefined;
}

export async function post(url: string, form: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export async function postOk(url: string, form: Record<string, string>): Promise<string> {
  const { status, text } = await post(url, form);
  const err = errorIn(status, text);
  if (err) throw new Error(`${url}: ${err}`);
  return text;
}

/**
 * An answer too big for one string (list-users-full at 100,000 accounts is ~1.2 GB; V8's strings stop at 512 MB):
 * its SHA-256 and size, read as it streams, and the whole text only when it is under `keepBelow` bytes.
 */
export async function postDigest(url: string, form: Record<string, string>, keepBelow = 256 * 2 ** 20): Promise<{ bytes: number; sha256: string; text?: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const hash = createHash('sha256');
  let bytes = 0;
  let kept: Buffer[] | null = [];
  let head = Buffer.alloc(0); // the first 400 bytes, for the error check whatever `keepBelow` is
  const reader = res.body?.getReader();
  for (let r = await reader?.read(); r && !r.done; r = await reader!.read()) {
    const chunk = r.value;
    hash.update(chunk);
    bytes += chunk.length;
    if (head.length < 400) head = Buffer.concat([head, chunk.subarray(0, 400 - head.length)]);
    if (kept && bytes < keepBelow) kept.push(Buffer.from(chunk));
    else kept = null;
  }
  const text = kept ? Buffer.concat(kept).toString('utf8') : undefined;
  const err = errorIn(res.status, head.toString('utf8'));
  if (err) throw new Error(`${url}: ${err}`);
  return { bytes, sha256: hash.digest('hex'), text };
}

function addServerTiming(into: Record<string, number>, header: string | null): void {
  if (!header) return;
  for (const part of header.split(',')) {
    const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (m) into[m[1]] = (into[m[1]] ?? 0) + Number(m[2]);
  }
}

/**
 * Sends `requests` (in order, spread over `concurrency` workers) to `target`, appending to `into`.
 * Stops early at `deadline` (performance.now() ms) and marks the series truncated.
 */
export async function runRequests(
  target: Target,
  requests: RequestSpec[],
  concurrency: number,
  deadline: number,
  into: Series,
): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() > deadline) {
        if (next < requests.length) into.truncated = true;
        return;
      }
      const i = next++;
      if (i >= requests.length) return;
      const r = requests[i];
      const body = new URLSearchParams(r.form).toString();
      let res: Response | undefined;
      let buf: ArrayBuffer | undefined;
      let dt = 0;
      // A transport failure (a keep-alive socket the server closed just as it was reused) is retried once
      // and counted; the failed attempt's time is not a sample.
      for (let attempt = 0; attempt < 2 && !buf; attempt++) {
        try {
          const t0 = performance.now();
          res = await fetch(target.url + r.path, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...(r.acceptEncoding ? { 'accept-encoding': r.acceptEncoding } : {}),
            },
            body,
          });
          buf = await res.arrayBuffer();
          dt = performance.now() - t0;
        } catch (err) {
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          const msg = `${target.name} ${r.path}: ${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
          if (attempt === 0) {
            into.retries++;
            into.firstRetry ??= msg;
          } else {
            into.errors++;
            into.firstError ??= msg;
          }
        }
      }
      if (!res || !buf) continue;
      const head = Buffer.from(buf, 0, Math.min(buf.byteLength, 400)).toString('utf8');
      const err = errorIn(res.status, head);
      if (err) {
        into.errors++;
        into.firstError ??= `${target.name} ${r.path}: ${err}`;
        continue;
      }
      const enc = res.headers.get('content-encoding') ?? 'none';
      into.encodings[enc] = (into.encodings[enc] ?? 0) + 1;
      into.samples.push(dt);
      into.bytes += buf.byteLength;
      addServerTiming(into.serverTiming, res.headers.get('server-timing'));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  into.wallMs += performance.now() - started;
}

/**
 * Measures both targets on the same request list, alternating blocks of `block` requests (Halley first,
 * then the baseline, on the same slice) so drift on the machine affects both alike.
 */
export async function compare(
  targets: { halley: Target; baseline: Target },
  requests: RequestSpec[],
  opts: { concurrency: number; block: number; timeLimitMs: number; cpu?: () => Record<string, number> },
): Promise<{ halley: Series; baseline: Series }> {
  const out = { halley: emptySeries(), baseline: emptySeries() };
  const deadline = performance.now() + opts.timeLimitMs;
  const measured = async (target: Target, slice: RequestSpec[], into: Series) => {
    const before = opts.cpu?.();
    await runRequests(target, slice, opts.concurrency, deadline, into);
    const after = opts.cpu?.();
    if (before && after) for (const k of Object.keys(after)) into.cpuMs[k] = (into.cpuMs[k] ?? 0) + after[k] - (before[k] ?? 0);
  };
  for (let i = 0; i < requests.length; i += opts.block) {
    const slice = requests.slice(i, i + opts.block);
    await measured(targets.halley, slice, out.halley);
    await measured(targets.baseline, slice, out.baseline);
    if (performance.now() > deadline) {
      out.halley.truncated = out.baseline.truncated = i + opts.block < requests.length;
      break;
    }
  }
  return out;
}
