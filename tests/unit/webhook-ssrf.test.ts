// The SSRF guard and the signed POST, against real HTTP servers on 127.0.0.1 (no Halley server needed):
// address classification (IPv4, IPv6, embedded IPv4), refusal at connect time when private targets are
// not allowed (also through a host name), redirects never followed, the signature, and the backoff.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs } from '../../lib/webhooks/backoff';
import { sendWebhook, signWebhook, type SendInput } from '../../lib/webhooks/send';
import { forbiddenAddressReason } from '../../lib/net/outbound-guard';
import { checkWebhookUrl } from '../../lib/webhooks/check-webhook-url';
import { localizeApiMessage, type ApiMessage } from '../../lib/i18n/api-messages';

describe('forbiddenAddressReason', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '64:ff9b::10.0.0.1', '2002:c0a8:0101::1', '::127.0.0.1',
  ])('refuses %s', (ip) => {
    expect(forbiddenAddressReason(ip)).toBeTruthy();
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::1'])(
    'allows the public address %s',
    (ip) => {
      expect(forbiddenAddressReason(ip)).toBeNull();
    },
  );
});

/** The refusal's English text (a refusal is a message from the "api" catalogue, translated for the caller). */
async function refusalOf(url: string, allowPrivate: boolean): Promise<string | null> {
  const { refusal } = await checkWebhookUrl(url, allowPrivate);
  return refusal === null || typeof refusal === 'string' ? refusal : refusal.text;
}

describe('checkWebhookUrl', () => {
  it('refuses non-http schemes, credentials and private hosts, and accepts them when allowed', async () => {
    expect(await refusalOf('gopher://127.0.0.1/', true)).toMatch(/http:\/\//);
    expect(await refusalOf('http://a:b@127.0.0.1/', true)).toMatch(/user name or password/);
    expect(await refusalOf('not a url', true)).toMatch(/not a valid URL/);
    expect(await refusalOf('http://localhost:1/x', false)).toMatch(/Refused webhook target localhost/);
    expect(await refusalOf('http://[::ffff:127.0.0.1]/x', false)).toMatch(/embeds the non-public IPv4 address 127\.0\.0\.1/);
    expect(await refusalOf('http://localhost:1/x', true)).toBeNull();
    expect(await refusalOf('http://203.0.113.5/x', false)).toMatch(/reserved/);
  });

  it('refuses in the caller’s language (the whole message, the guard’s reason included)', async () => {
    const { refusal } = await checkWebhookUrl('http://[::ffff:127.0.0.1]/x', false);
    expect(typeof refusal).toBe('object');
    const de = localizeApiMessage(refusal as ApiMessage, 'de');
    expect(de).toBe('Webhook-Ziel ::ffff:7f00:1 abgelehnt: ::ffff:7f00:1 enthält die nicht öffentliche IPv4-Adresse 127.0.0.1 (private Ziele erlauben mit HALLEY_ALLOW_PRIVATE_TARGETS oder meta/webhook-settings/set AllowPrivateTargets)');
    expect(localizeApiMessage((await checkWebhookUrl('http://a:b@example.com/', true)).refusal as ApiMessage, 'es')).toBe('la URL no debe contener un nombre de usuario ni una contraseña (use CustomHeaders para las credenciales)');
  });

  it('accepts a host that does not resolve yet, with a warning (the guard decides at delivery)', async () => {
    // .invalid never resolves (RFC 6761): no address, public or private, is involved.
    const r = await checkWebhookUrl('https://hooks.halley-test.invalid/in', false);
    expect(r.refusal).toBeNull();
    expect(r.warning?.text).toMatch(/hooks\.halley-test\.invalid does not resolve yet .*checked again at every delivery/);
    // In the reader's language (the API's Warnings and the console).
    expect(localizeApiMessage(r.warning!, 'de')).toMatch(/^der Host hooks\.halley-test\.invalid lässt sich noch nicht auflösen \((ENOTFOUND|EAI_AGAIN|ENODATA)\); er wird bei jeder Zustellung erneut geprüft$/);
  });
});

describe('sendWebhook', () => {
  type Hit = { headers: http.IncomingHttpHeaders; body: string; url: string };
  const hits: Hit[] = [];
  const targetHits: Hit[] = [];
  let server: http.Server;
  let target: http.Server;
  let base = '';
  let targetUrl = '';
  const listen = (s: http.Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
  const record = (into: Hit[]) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      into.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), url: req.url ?? '' });
      if (req.url === '/redirect') res.writeHead(302, { location: targetUrl }).end();
      else if (req.url === '/fail') res.writeHead(500).end('no');
      else res.writeHead(204).end();
    });
  };

  beforeAll(async () => {
    target = http.createServer(record(targetHits));
    targetUrl = `http://127.0.0.1:${await listen(target)}/target`;
    server = http.createServer(record(hits));
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await new Promise((r) => target.close(r));
  });

  const input = (url: string, allowPrivate: boolean): SendInput => ({
    url,
    body: '{"Type":4100,"EventID":42}',
    secret: 'whsec_test',
    customHeaders: { Authorization: 'Bearer x' },
    eventId: '42',
    deliveryId: '7',
    webhookName: 'crm hook',
    attempt: 1,
    allowPrivate,
    timeoutMs: 5000,
  });

  it('posts the body with Comet and Halley headers and a verifiable signature', async () => {
    const r = await sendWebhook(input(`${base}/ok`, true));
    expect(r).toEqual({ ok: true, status: 204, error: '' });
    const hit = hits.find((h) => h.url === '/ok')!;
    expect(hit.body).toBe('{"Type":4100,"EventID":42}');
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-comet-tracing-id']).toBeTruthy();
    expect(hit.headers['x-halley-event-id']).toBe('42');
    expect(hit.headers['x-halley-webhook-id']).toBe('crm%20hook');
    expect(hit.headers.authorization).toBe('Bearer x');
    const ts = String(hit.headers['x-halley-timestamp']);
    const expected = `sha256=${createHmac('sha256', 'whsec_test').update(`${ts}.${hit.body}`).digest('hex')}`;
    expect(hit.headers['x-halley-signature']).toBe(expected);
    expect(signWebhook('whsec_test', ts, hit.body)).toBe(expected);
  });

  it('refuses loopback at connect time when private targets are not allowed, by address and by name', async () => {
    const before = hits.length;
    const byIp = await sendWebhook(input(`${base}/ok`, false));
    expect(byIp.ok).toBe(false);
    expect(byIp.error).toMatch(/Refused webhook target 127\.0\.0\.1/);
    const byName = await sendWebhook(input(`${base.replace('127.0.0.1', 'localhost')}/ok`, false));
    expect(byName.ok).toBe(false);
    expect(byName.error).toMatch(/Refused webhook target localhost/);
    expect(hits.length).toBe(before);
  });

  it('never follows a redirect', async () => {
    const r = await sendWebhook(input(`${base}/redirect`, true));
    expect(r.ok).toBe(false);
    expect(r.status).toBe(302);
    expect(r.error).toMatch(/redirect \(HTTP 302 to http:\/\/127\.0\.0\.1:\d+\/target\) not followed/);
    expect(targetHits).toHaveLength(0);
  });

  it('reports a non-2xx answer and a refused connection', async () => {
    expect(await sendWebhook(input(`${base}/fail`, true))).toEqual({ ok: false, status: 500, error: 'HTTP 500', reason: { key: 'webhookAnsweredHttp', values: { status: '500' }, text: 'HTTP 500' } });
    const closed = http.createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const r = await sendWebhook(input(`http://127.0.0.1:${port}/`, true));
    expect(r).toMatchObject({ ok: false, status: 0, error: expect.stringMatching(/^ECONNREFUSED/) });
  });
});

describe('backoffMs', () => {
  it('doubles from the base up to the cap, with jitter between half and the full delay', () => {
    expect(backoffMs(1, 10_000, 3600_000, () => 0)).toBe(5_000);
    expect(backoffMs(1, 10_000, 3600_000, () => 1)).toBe(10_000);
    expect(backoffMs(4, 10_000, 3600_000, () => 1)).toBe(80_000);
    expect(backoffMs(30, 10_000, 3600_000, () => 1)).toBe(3600_000);
    expect(backoffMs(30, 10_000, 3600_000, () => 0)).toBe(1800_000);
  });
});
