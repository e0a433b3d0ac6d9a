// Issue 19: messages inside answers and stored reasons read in the caller's language (Accept-Language), English
// unchanged: the "does not resolve yet" Warnings of webhook and PSA saves, the webhook and PSA delivery logs'
// reasons (HTTP failures, DNS) with rows from before the catalogue messages still showing their text, and the
// reason inside templateTestFailed, provisioningFailed and cometServerInvalid. Tenant admins for webhooks, PSA and
// templates; the top-level admin for the self-backup target; German and Hebrew (or Spanish) for each. Also the
// Message of answers that succeed with words: a command queued for an offline device, a usage back-fill requested,
// a session upgrade of an account without a second factor.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { PsaMock } from '../helpers/psa-mock';
import { sql } from '../helpers/security';
import { callIn, deadPort, type Lang } from '../helpers/in-language';
import { waitFor } from '../helpers/wait';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const invalidHost = () => `${uniq('later').toLowerCase().replace(/[^a-z0-9-]/g, '-')}.halley-test.invalid`;

let root: CometClient;
let t: TenantFixture;
let restorePrivate: () => Promise<void>;
const receivers: WebhookReceiver[] = [];
const mocks: PsaMock[] = [];

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('wire-msg');
  await sql(`UPDATE "AdminUser" SET permissions = permissions || '{"AllowEditWebhooks": true, "AllowEditRemoteStorage": true}'::jsonb WHERE username = $1`, [t.adminName]);
  restorePrivate = await allowPrivateTargets(true);
}, 60_000);

afterAll(async () => {
  for (const r of receivers) await r.stop();
  for (const m of mocks) await m.stop();
  await restorePrivate?.();
});

describe('Warnings of a saved URL whose host does not resolve yet', () => {
  it('webhook-options/set answers them in Accept-Language (tenant admin); English as before', async () => {
    const host = invalidHost();
    const save = (lang: Lang, id: string) => callIn(t.admin, lang, '/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { [id]: { URL: `https://${host}/in`, CustomHeaders: {}, Level: 'none', WhiteListedEventTypes: [] } } });
    const de = await save('de', 'later-de');
    expect(de).toMatchObject({ Status: 200, Message: 'OK' });
    expect(de.Warnings).toEqual([expect.stringMatching(new RegExp(`^WebhookOptions\\["later-de"\\]\\.URL: der Host ${host.replace(/\./g, '\\.')} lässt sich noch nicht auflösen \\((ENOTFOUND|EAI_AGAIN|ENODATA)\\); er wird bei jeder Zustellung erneut geprüft$`))]);
    const he = await save('he', 'later-he');
    expect(he.Warnings).toEqual([expect.stringMatching(new RegExp(`^WebhookOptions\\["later-he"\\]\\.URL: המארח ${host.replace(/\./g, '\\.')} עדיין אינו מפוענח`))]);
    const en = await save('en', 'later-en');
    expect(en.Warnings).toEqual([expect.stringMatching(/^WebhookOptions\["later-en"\]\.URL: the host .* does not resolve yet \(\w+\); it is checked again at every delivery$/)]);
    await t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: {} });
  });

  it('psa-config-list/set answers them in Accept-Language (tenant admin)', async () => {
    const host = invalidHost();
    const save = (lang: Lang) => callIn(t.admin, lang, '/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [{ Type: 0, URL: `https://${host}/usage-${lang}`, GroupedBy: {} }] });
    expect((await save('de')).Warnings).toEqual([expect.stringMatching(/^PSAConfigList\[0\]\.URL: der Host .* lässt sich noch nicht auflösen/)]);
    expect((await save('es')).Warnings).toEqual([expect.stringMatching(/^PSAConfigList\[0\]\.URL: el host .* aún no se resuelve \(\w+\); se comprueba de nuevo en cada entrega$/)]);
    await t.admin.ok('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [] });
  });

  it('bad input is still refused in the caller\'s language', async () => {
    const r = await callIn(t.admin, 'de', '/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { x: { URL: 'ftp://example.com/' } } });
    expect(r.Status).toBe(400);
    expect(r.Message).toMatch(/http:\/\/ oder https:\/\//);
  });
});

describe('delivery-log reasons in the reader\'s language', () => {
  it('webhook deliveries: an HTTP failure and a DNS failure; a row from before keeps its text', async () => {
    const rx = await new WebhookReceiver().start();
    receivers.push(rx);
    rx.respond = { status: 503 };
    const host = invalidHost();
    await t.admin.ok('/api/v1/admin/meta/webhook-options/set', {
      WebhookOptions: {
        down: { URL: rx.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] },
        nodns: { URL: `https://${host}/in`, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] },
      },
    });
    const list = (lang: Lang, id: string) => callIn(t.admin, lang, '/api/v1/admin/meta/webhook-deliveries/list', { WebhookID: id });
    const failedHello = await waitFor('a failed attempt of the 503 receiver', async () => (await list('en', 'down')).Deliveries.find((d: any) => d.LastError));
    expect(failedHello).toMatchObject({ ResponseCode: 503, LastError: 'HTTP 503' });
    expect((await list('de', 'down')).Deliveries.find((d: any) => d.DeliveryID === failedHello.DeliveryID).LastError).toBe('der Empfänger antwortete mit HTTP 503');
    expect((await list('he', 'down')).Deliveries.find((d: any) => d.DeliveryID === failedHello.DeliveryID).LastError).toBe('המקבל ענה HTTP 503');

    const dns = await waitFor('a failed attempt of the unresolvable host', async () => (await list('en', 'nodns')).Deliveries.find((d: any) => d.LastError));
    expect(dns.LastError).toMatch(/ENOTFOUND|EAI_AGAIN|ENODATA/);
    const dnsDe = (await list('de', 'nodns')).Deliveries.find((d: any) => d.DeliveryID === dns.DeliveryID).LastError;
    expect(dnsDe).toMatch(new RegExp(`^der Hostname ${host.replace(/\./g, '\\.')} konnte nicht aufgelöst werden \\((ENOTFOUND|EAI_AGAIN|ENODATA)\\)$`));
    await t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: {} });
  });

  it('a legacy webhook row without a stored message is listed with its text', async () => {
    const rx = await new WebhookReceiver().start();
    receivers.push(rx);
    rx.respond = { status: 500 };
    await t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { old: { URL: rx.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
    const list = (lang: Lang) => callIn(t.admin, lang, '/api/v1/admin/meta/webhook-deliveries/list', { WebhookID: 'old' });
    const failed = await waitFor('a failed attempt', async () => (await list('en')).Deliveries.find((d: any) => d.LastError));
    await t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { old: { URL: rx.url, CustomHeaders: {}, Level: 'none', WhiteListedEventTypes: [] } } });
    await sql(`UPDATE "WebhookDelivery" SET "lastErrorMessage" = NULL, "lastError" = 'legacy reason text', status = 'failed' WHERE id = $1`, [failed.DeliveryID]);
    expect((await list('de')).Deliveries.find((d: any) => d.DeliveryID === failed.DeliveryID).LastError).toBe('legacy reason text');
    await t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: {} });
  });

  it('PSA pushes: the PSA\'s HTTP failure with its own words quoted (tenant admin)', async () => {
    const dead = new PsaMock(() => ({ status: 500, json: { error: 'down' } }));
    await dead.start();
    mocks.push(dead);
    await t.admin.ok('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [{ Type: 0, URL: `${dead.url}/usage`, GroupedBy: {} }] });
    await t.admin.ok('/api/v1/admin/meta/psa-config-list/sync-now');
    const status = (lang: Lang) => callIn(t.admin, lang, '/api/v1/admin/meta/psa-config-list/status');
    const push = await waitFor('a failed PSA attempt', async () => (await status('en')).Integrations[0]?.Pushes.find((p: any) => p.LastError), 60_000);
    expect(push.LastError).toMatch(/^HTTP 500 from POST \/usage: \{"error":"down"\}$/);
    const de = (await status('de')).Integrations[0].Pushes.find((p: any) => p.PushID === push.PushID).LastError;
    expect(de).toBe('das PSA antwortete auf POST /usage mit HTTP 500: „{"error":"down"}“');
    const he = (await status('he')).Integrations[0].Pushes.find((p: any) => p.PushID === push.PushID).LastError;
    expect(he).toBe('ה-PSA ענה HTTP 500 ל-POST /usage: ״{"error":"down"}״');
    await t.admin.ok('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [] });
  }, 90_000);
});

describe('the reason inside templateTestFailed, provisioningFailed and cometServerInvalid', () => {
  it('a refused connection and an unresolvable host, translated whole (tenant admin)', async () => {
    const port = await deadPort();
    const refused = { Type: 'custom', Description: 'Refusing provisioner', ID: '', Custom: { URL: `http://127.0.0.1:${port}/provision`, CustomHeaders: {}, CustomBody: '', CustomBodyType: 'json' } };
    const test = (lang: Lang, option: object) => callIn(t.admin, lang, '/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: option });
    const de = await test('de', refused);
    expect(de).toMatchObject({ Status: 400, Message: `Test fehlgeschlagen: 127.0.0.1:${port} hat die Verbindung abgelehnt` });
    expect((await test('he', refused)).Message).toBe(localizeApiMessage(apiMessage('templateTestFailed', { reason: apiMessage('causeConnectionRefused', { address: `127.0.0.1:${port}` }) }), 'he'));
    expect((await test('en', refused)).Message).toMatch(new RegExp(`^Test failed: ECONNREFUSED|^Test failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
    const host = invalidHost();
    const nodns = { ...refused, Custom: { ...refused.Custom, URL: `https://${host}/provision` } };
    const dnsDe = await test('de', nodns);
    // The DNS failure is found when the template's target is checked (a refusal) or when it is called (the cause).
    expect(dnsDe.Status).toBe(400);
    expect(dnsDe.Message).toMatch(/aufgelöst|abgelehnt/);
  });

  it('a successful test answers in the caller\'s language too', async () => {
    const server = http.createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/p`;
      const ok = await callIn(t.admin, 'de', '/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: { Type: 'custom', Description: 'ok', ID: '', Custom: { URL: url, CustomHeaders: {}, CustomBody: '', CustomBodyType: 'json' } } });
      expect(ok).toEqual({ Status: 200, Message: 'Die Bereitstellungs-URL antwortete mit HTTP 204' });
    } finally {
      server.close();
    }
  });

  it('request-storage-vault from a template whose provisioner refuses the connection', async () => {
    const port = await deadPort();
    const id = uniq('refusing');
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', {
      RemoteStorageOptions: [{ Type: 'custom', Description: 'Refusing', ID: id, Custom: { URL: `http://127.0.0.1:${port}/provision`, CustomHeaders: {}, CustomBody: '', CustomBodyType: 'json' } }],
    });
    const user = await makeUser(t.admin);
    const ask = (lang: Lang) => callIn(t.admin, lang, '/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: id });
    expect(await ask('de')).toEqual({ Status: 400, Message: `Bereitstellung aus 'Refusing' fehlgeschlagen: 127.0.0.1:${port} hat die Verbindung abgelehnt` });
    expect((await ask('he')).Message).toBe(localizeApiMessage(apiMessage('provisioningFailed', { template: 'Refusing', reason: apiMessage('causeConnectionRefused', { address: `127.0.0.1:${port}` }) }), 'he'));
    expect((await ask('en')).Message).toMatch(/^Provisioning from 'Refusing' failed: connect ECONNREFUSED/);
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [] });
  });

  it('a self-backup Storage Role target whose CometServer is not http(s) (top-level admin)', async () => {
    const config = await root.ok('/api/v1/admin/meta/server-config/get');
    const target = {
      Index: 0,
      Schedule: [],
      ScheduleTimezone: 'Europe/Amsterdam',
      RetentionPolicy: { Mode: 801, Ranges: [] },
      Location: { DestinationType: 1003, CometServer: 'ftp://storage.example.com/', CometBucket: 'bucket-1', CometBucketKey: 'bucket-key-123456' },
      EncryptionKey: 'Correct-Horse-42',
      EncryptionKeyFormat: 0,
      Compression: 3,
      ExcludeJobsDB: false,
      IncludeServerLogs: false,
    };
    const set = (lang: Lang) => callIn(root, lang, '/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { ...(config.SelfBackup ?? {}), Targets: [target] } } });
    const cause = apiMessage('urlNotHttp', { scheme: 'ftp:' });
    expect(await set('de')).toEqual({ Status: 400, Message: localizeApiMessage(apiMessage('cometServerInvalid', { where: 'SelfBackup.Targets[0]', reason: cause }), 'de') });
    expect((await set('de')).Message).toMatch(/die URL muss mit http:\/\/ oder https:\/\/ beginnen/);
    expect((await set('es')).Message).toBe(localizeApiMessage(apiMessage('cometServerInvalid', { where: 'SelfBackup.Targets[0]', reason: cause }), 'es'));
    expect((await set('en')).Message).toMatch(/CometServer must be the Storage Role server's URL \(CometServer must be an http:\/\/ or https:\/\/ URL\)/);
  });
});

describe('the Message of a successful answer in the caller\'s language', () => {
  it('a command queued for an offline device, a back-fill requested, a session without a second factor (tenant admin)', async () => {
    const user = await makeUser(t.admin);
    const deviceId = uniq('offline-device');
    await sql(`INSERT INTO "Device" (id, "tenantId", "accountId", "deviceId") SELECT gen_random_uuid(), a."tenantId", a.id, $2 FROM "Account" a WHERE a."tenantId" = $1 AND a.username = $3`, [t.id, deviceId, user.username]);
    const queue = (lang: Lang) => callIn(t.admin, lang, '/api/v1/admin/dispatcher/refetch-profile', { TargetID: deviceId, QueueIfOffline: true });
    expect(await queue('en')).toMatchObject({ Status: 200, Message: 'Queued: delivered when the device connects' });
    expect((await queue('de')).Message).toBe('In der Warteschlange: wird zugestellt, sobald sich das Gerät verbindet');
    expect((await queue('he')).Message).toBe('בתור: יימסר כשההתקן יתחבר');

    expect(await callIn(t.admin, 'en', '/api/v1/admin/billing/backfill', { Days: 1 })).toMatchObject({ Status: 200, Message: 'Back-fill of 1 day(s) requested for 1 organization(s)' });
    expect((await callIn(t.admin, 'de', '/api/v1/admin/billing/backfill', { Days: 1 })).Message).toBe('Nachberechnung von 1 Tag(en) für 1 Organisation(en) angefordert');

    const key = (await t.admin.ok('/api/v1/admin/account/session-start')).SessionKey as string;
    expect(await callIn(t.admin, 'en', '/api/v1/admin/account/session-upgrade', { SessionKey: key })).toMatchObject({ Status: 200, Message: 'OK: this account has no second factor, the session is already complete' });
    expect((await callIn(t.admin, 'es', '/api/v1/admin/account/session-upgrade', { SessionKey: key })).Message).toBe('OK: esta cuenta no tiene segundo factor, la sesión ya está completa');
  });
});
