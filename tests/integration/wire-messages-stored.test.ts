// Issue 19: the texts that were still English read in the caller's language (Accept-Language), English unchanged:
// a failed self-backup run's Error (stored as a catalogue message; a row from before keeps its text; a local path
// that cannot be written, a Storage Role refusing the bucket key), an organization import's refusal (no manifest,
// wrong password), its conflicts and left-out rows, the report-email delivery log's LastError (SMTP refusal) and the
// bulk "send-report" result, the JSON syntax reason inside paramNotJson, the parser's words inside
// multipartMalformed, and a remote Storage Role server's refusal inside templateTestFailed (credentials refused;
// its own Message quoted; an answer without JSON), and a Constellation report's bucket verdict Reason and failed
// target Error (a listed server refusing, with its own Message quoted; a verdict stored before ReasonKey keeps its text),
// the target names Halley gives (this server, a Storage Template) in Targets[].Name, status TargetNames and inside
// reasons (a report from before keeps its names), and the runs a restore ends as unfinished (a scratch database:
// with the archive's schema of today the reason is stored as its message; an older schema keeps the English only).
// Top-level admin for self-backup, imports and the email log; tenant admins for bulk users, params and templates.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { BlobWriter, TextReader, ZipWriter } from '@zip.js/zip.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import { renderStoredMessage } from '../../lib/i18n/stored-message';
import { failUnfinishedRuns } from '../../lib/self-backup/restore-archive';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { acceptLanguage, callIn, deadPort, type Lang } from '../helpers/in-language';
import { waitFor } from '../helpers/wait';

/** A fake Comet server answering every call with `status` and `body`. */
async function fakeServer(status: number, body: string): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let root: CometClient;
let t: TenantFixture;
let restorePrivate: () => Promise<void>;
let configBefore: any;
const servers: http.Server[] = [];
const work = tempDir('wire-stored');

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('wire-stored');
  await sql(`UPDATE "AdminUser" SET permissions = permissions || '{"AllowEditRemoteStorage": true}'::jsonb WHERE username = $1`, [t.adminName]);
  restorePrivate = await allowPrivateTargets(true);
  configBefore = await root.ok('/api/v1/admin/meta/server-config/get');
}, 60_000);

afterAll(async () => {
  if (configBefore) await root.ok('/api/v1/admin/meta/server-config/set', { Config: configBefore }).catch(() => undefined);
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  await restorePrivate?.();
});

describe('a failed self-backup run in the reader\'s language', () => {
  it('the location that cannot be written: German and Spanish; a row from before keeps its text', async () => {
    const index = 900 + Math.floor(Math.random() * 90);
    const refused = `/proc/halley-wire-stored-${index}`;
    const config = await root.ok('/api/v1/admin/meta/server-config/get');
    const target = {
      Index: index, Schedule: [], ScheduleTimezone: 'UTC', RetentionPolicy: { Mode: 801, Ranges: [] },
      Location: { DestinationType: 1002, LocalcopyPath: refused }, EncryptionKey: 'wire stored pass phrase', EncryptionKeyFormat: 0,
      Compression: 3, ExcludeJobsDB: true, IncludeServerLogs: false,
    };
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { ...config.SelfBackup, Targets: [...(config.SelfBackup?.Targets ?? []), target] } } });
    const started = await root.ok('/api/v1/admin/self-backup/start', { TargetIndex: index });
    const runs = async (lang: Lang) => (await callIn(root, lang, '/api/v1/admin/self-backup/runs', { Limit: 20, TargetIndex: index })).Runs as any[];
    const failed = await waitFor('the failing run', async () => (await runs('en')).find((r) => r.ID === started.RunIDs[0] && r.Status === 'failed'), 90_000, 250);
    const m = /^The location cannot be written: (.+)$/.exec(failed.Error);
    expect(m, failed.Error).toBeTruthy();
    const cause = m![1]!;
    const de = (await runs('de')).find((r) => r.ID === failed.ID).Error;
    expect(de.startsWith('Der Speicherort kann nicht beschrieben werden: ')).toBe(true);
    expect(de).toContain(refused);
    const es = (await runs('es')).find((r) => r.ID === failed.ID).Error;
    expect(es.startsWith('No se puede escribir en la ubicación: ')).toBe(true);
    expect(es).not.toBe(failed.Error);
    expect(cause).toContain(refused);

    await sql(`UPDATE "SelfBackupRun" SET "errorMessage" = NULL, error = 'legacy run text' WHERE id = $1`, [failed.ID]);
    expect((await runs('de')).find((r) => r.ID === failed.ID).Error).toBe('legacy run text');
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: config });
  }, 120_000);

  it('a Storage Role that refuses the bucket key: a known cause with its words, in German and Japanese', async () => {
    const index = 900 + Math.floor(Math.random() * 90);
    const server = await fakeServer(403, JSON.stringify({ Status: 403, Message: 'wrong bucket key' }));
    const config = await root.ok('/api/v1/admin/meta/server-config/get');
    const target = {
      Index: index, Schedule: [], ScheduleTimezone: 'UTC', RetentionPolicy: { Mode: 801, Ranges: [] },
      Location: { DestinationType: 1003, CometServer: server, CometBucket: 'stored-bucket', CometBucketKey: 'not-the-key' }, EncryptionKey: 'wire stored pass phrase', EncryptionKeyFormat: 0,
      Compression: 3, ExcludeJobsDB: true, IncludeServerLogs: false,
    };
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { ...config.SelfBackup, Targets: [...(config.SelfBackup?.Targets ?? []), target] } } });
    const started = await root.ok('/api/v1/admin/self-backup/start', { TargetIndex: index });
    const runs = async (lang: Lang) => (await callIn(root, lang, '/api/v1/admin/self-backup/runs', { Limit: 20, TargetIndex: index })).Runs as any[];
    const failed = await waitFor('the refused run', async () => (await runs('en')).find((r) => r.ID === started.RunIDs[0] && r.Status === 'failed'), 90_000, 250);
    expect(failed.Error).toBe('The location cannot be written: Bucket stored-bucket: wrong bucket key (HTTP 403)');
    expect((await runs('de')).find((r) => r.ID === failed.ID).Error).toBe('Der Speicherort kann nicht beschrieben werden: Bucket stored-bucket: der Dienst hat die Zugangsdaten abgelehnt (HTTP 403: wrong bucket key)');
    expect((await runs('ja')).find((r) => r.ID === failed.ID).Error).toBe(localizeApiMessage(apiMessage('selfBackupLocationUnwritable', { reason: apiMessage('storageRoleAnswered', { action: 'check', name: 'stored-bucket', cause: apiMessage('causeAccessDenied', { detail: 'HTTP 403: wrong bucket key' }) }) }), 'ja'));
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: config });
  }, 120_000);
});

/** An AES-encrypted zip holding `entries`, written under the test's directory. */
async function zipFile(name: string, password: string, entries: Record<string, string>): Promise<string> {
  const writer = new ZipWriter(new BlobWriter('application/zip'), { password, encryptionStrength: 3, useWebWorkers: false });
  for (const [entry, text] of Object.entries(entries)) await writer.add(entry, new TextReader(text));
  const blob = await writer.close();
  const file = path.join(work, name);
  fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  return file;
}

describe('organization imports in the reader\'s language', () => {
  const imports = async (lang: Lang, id: string) => (await callIn(root, lang, '/api/v1/admin/halley/organization/imports', { ImportID: id })).Imports[0];
  const ended = (id: string) => waitFor(`import ${id}`, async () => {
    const row = await imports('en', id);
    return row && !['queued', 'running'].includes(row.Status) ? row : undefined;
  }, 90_000, 250);

  it('an archive without a manifest, and a wrong password: German and Russian', async () => {
    const noManifest = await zipFile('no-manifest.zip', 'right pass phrase', { 'other.txt': 'x' });
    const a = await ended((await root.ok('/api/v1/admin/halley/organization/import', { ArchivePath: noManifest, ArchivePassword: 'right pass phrase', DryRun: true })).ImportID);
    expect(a).toMatchObject({ Status: 'failed', Error: 'manifest.json is missing: this is not a Halley self-backup archive' });
    expect((await imports('de', a.ID)).Error).toBe('manifest.json fehlt: dies ist kein Halley-Selbstsicherungsarchiv');
    expect((await imports('ru', a.ID)).Error).toBe('manifest.json отсутствует: это не архив самокопирования Halley');

    const locked = await zipFile('locked.zip', 'right pass phrase', { 'manifest.json': '{}' });
    const b = await ended((await root.ok('/api/v1/admin/halley/organization/import', { ArchivePath: locked, ArchivePassword: 'wrong pass phrase', DryRun: true })).ImportID);
    expect(b).toMatchObject({ Status: 'failed', Error: 'The password does not open this archive' });
    expect((await imports('de', b.ID)).Error).toBe('Das Passwort öffnet dieses Archiv nicht');
    expect((await imports('ru', b.ID)).Error).toBe('Пароль не открывает этот архив');
  }, 120_000);

  it('conflicts and left-out rows stored with their message read in the reader\'s language; rows from before keep their text', async () => {
    const value = uniq('taken-user');
    const conflicts = [
      { Kind: 'user', Table: 'Account', Columns: 'username', Value: value, Message: `The user name ${value} is taken on this server`, MessageKey: apiMessage('importConflictUser', { value }) },
      { Kind: 'host', Table: 'Tenant', Columns: 'hosts', Value: 'old.example.test', Message: 'legacy conflict text' },
    ];
    const summary = {
      Tables: [], RemappedIDs: 0, RewrittenJSONRows: 0, ResealedSecrets: 0, ReplacedEmptyOrganization: false,
      LeftOut: [
        { Table: 'AccountRecoveryCode', Rows: 3, Reason: "keyed with the source server's key", ReasonKey: apiMessage('importLeftOutKeyed') },
        { Table: 'Device', Rows: 1, Reason: 'legacy left-out text' },
      ],
    };
    const [row] = await sql<{ id: string }>(
      `INSERT INTO "OrganizationImport" (id, status, "archivePath", conflicts, summary, error, "endedAt") VALUES (gen_random_uuid(), 'refused', '/nowhere.zip', $1::jsonb, $2::jsonb, 'legacy import text', now()) RETURNING id`,
      [JSON.stringify(conflicts), JSON.stringify(summary)],
    );
    const en = await imports('en', row!.id);
    expect(en.Conflicts).toEqual([
      { Kind: 'user', Table: 'Account', Columns: 'username', Value: value, Message: `The user name ${value} is taken on this server` },
      { Kind: 'host', Table: 'Tenant', Columns: 'hosts', Value: 'old.example.test', Message: 'legacy conflict text' },
    ]);
    expect(en.Summary.LeftOut).toEqual([
      { Table: 'AccountRecoveryCode', Rows: 3, Reason: "keyed with the source server's key" },
      { Table: 'Device', Rows: 1, Reason: 'legacy left-out text' },
    ]);
    const de = await imports('de', row!.id);
    expect(de.Summary.LeftOut.map((x: any) => x.Reason)).toEqual(['mit dem Schlüssel des Quellservers verschlüsselt', 'legacy left-out text']);
    expect(de.Conflicts.map((c: any) => c.Message)).toEqual([`Der Benutzername ${value} ist auf diesem Server vergeben`, 'legacy conflict text']);
    expect(de.Error).toBe('legacy import text');
    expect((await imports('ja', row!.id)).Conflicts[0].Message).toBe(`ユーザー名 ${value} はこのサーバーで既に使用されています`);
  });
});

describe('report emails: the bulk result and the delivery log in the reader\'s language', () => {
  it('send-report to a refused SMTP server: the result (tenant admin) and LastError (German, Spanish); a row from before keeps its text', async () => {
    const port = await deadPort();
    await root.ok('/api/v1/admin/meta/email-options/set', {
      TargetOrganization: t.id,
      EmailOptions: { Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: port, SMTPAllowUnencrypted: true, FromEmail: 'halley@example.test', FromName: 'Halley', EmailReportingOptions: [] },
    });
    const users = [await makeUser(t.admin), await makeUser(t.admin)];
    const addresses: string[] = [];
    for (const u of users) {
      const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u.username });
      const address = `${uniq('stored-mail')}@example.com`;
      addresses.push(address);
      await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: u.username, ProfileData: { ...Profile, Emails: [address], SendEmailReports: true }, RequireHash: ProfileHash });
    }
    const de = await callIn(t.admin, 'de', '/api/v1/admin/users/bulk', { Action: 'send-report', Usernames: [users[0]!.username] });
    expect(de.Results).toEqual([{ Username: users[0]!.username, Status: 200, Message: 'E-Mails in die Warteschlange gestellt: 1' }]);
    const es = await callIn(t.admin, 'es', '/api/v1/admin/users/bulk', { Action: 'send-report', Usernames: [users[1]!.username] });
    expect(es.Results).toEqual([{ Username: users[1]!.username, Status: 200, Message: 'Correos electrónicos en cola: 1' }]);

    const log = async (lang: Lang) => (await callIn(root, lang, '/api/v1/admin/meta/email-deliveries', { TargetOrganization: t.id, Limit: 50 })).Deliveries as any[];
    const failed = await waitFor('a failed attempt', async () => (await log('en')).find((d) => d.Recipient === addresses[0] && d.LastError), 90_000, 250);
    const m = /^SMTP server (.+) refused the connection$/.exec(failed.LastError);
    expect(m, failed.LastError).toBeTruthy();
    const server = m![1]!;
    expect(server).toContain(String(port));
    expect((await log('de')).find((d) => d.ID === failed.ID).LastError).toBe(`SMTP-Server ${server} hat die Verbindung abgelehnt`);
    expect((await log('es')).find((d) => d.ID === failed.ID).LastError).toBe(localizeApiMessage(apiMessage('smtpConnectionRefused', { server }), 'es'));

    await sql(`UPDATE "EmailDelivery" SET "lastErrorMessage" = NULL, "lastError" = 'legacy smtp text', status = 'failed' WHERE id = $1`, [failed.ID]);
    expect((await log('de')).find((d) => d.ID === failed.ID).LastError).toBe('legacy smtp text');
  }, 150_000);
});

describe('the JSON syntax reason inside paramNotJson', () => {
  it('a translated lead-in with the parser\'s position (tenant admin); English keeps the parser\'s words', async () => {
    const bad = '{"Description": "x",}';
    const en = await callIn(t.admin, 'en', '/api/v1/admin/policies/new', { Policy: bad });
    expect(en.Status).toBe(400);
    expect(en.Message).toMatch(/^Parameter 'Policy' must be JSON \(.+\): .*at position 20/);
    const de = await callIn(t.admin, 'de', '/api/v1/admin/policies/new', { Policy: bad });
    expect(de).toMatchObject({ Status: 400 });
    expect(de.Message).toMatch(/^Parameter 'Policy' muss JSON sein \(.+\): die JSON-Syntax ist an Position 20 ungültig$/);
    const ja = await callIn(t.admin, 'ja', '/api/v1/admin/policies/new', { Policy: '{"Description": ' });
    expect(ja.Message).toMatch(/: JSON が途中で終わっています$/);
    const es = await callIn(t.admin, 'es', '/api/v1/admin/policies/new', { Policy: 'abc' });
    expect(es.Message).toMatch(/: carácter inesperado «a»$/);
  });
});

describe('the parser\'s words inside multipartMalformed', () => {
  it('quoted after a translated lead-in; English as the parser said it', async () => {
    const post = async (lang: Lang) => {
      const headers = { 'content-type': 'multipart/form-data; boundary=halley-x', ...acceptLanguage(lang) };
      const r = await t.admin.raw('/api/v1/admin/list-users', { method: 'POST', headers, body: '--halley-x\r\nnot a part' });
      return r.body;
    };
    const en = await post('en');
    expect(en.Status).toBe(400);
    const m = /^Malformed multipart\/form-data body: (.+)$/.exec(en.Message);
    expect(m, en.Message).toBeTruthy();
    expect((await post('de')).Message).toBe(`Fehlerhafter multipart/form-data-Inhalt: gemeldeter Fehler: „${m![1]}“`);
    expect((await post('es')).Message).toBe(localizeApiMessage(apiMessage('multipartMalformed', { reason: apiMessage('causeReported', { text: m![1]! }) }), 'es'));
  });
});

describe('a remote Storage Role server\'s refusal inside templateTestFailed', () => {
  const template = (remote: string) => ({ Type: 'comet', Description: 'Remote role', ID: '', RemoteAddress: remote, Username: 'someone', Password: 'Correct-Horse-42' });
  const test = (lang: Lang, remote: string) => callIn(t.admin, lang, '/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: template(remote) });

  it('credentials refused (Status 403): a known cause, in German and Spanish (tenant admin)', async () => {
    const remote = await fakeServer(200, JSON.stringify({ Status: 403, Message: 'Unauthorised' }));
    const en = await test('en', remote);
    expect(en).toMatchObject({ Status: 400, Message: `Test failed: /api/v1/admin/storage/list-buckets on ${remote}: Unauthorised` });
    expect((await test('de', remote)).Message).toBe(`Test fehlgeschlagen: /api/v1/admin/storage/list-buckets auf ${remote}: der Dienst hat die Zugangsdaten abgelehnt (403 Unauthorised)`);
    expect((await test('es', remote)).Message).toBe(`La prueba falló: /api/v1/admin/storage/list-buckets en ${remote}: el servicio rechazó las credenciales (403 Unauthorised)`);
  });

  it('another refusal: the far server\'s Message quoted after a translated lead-in; an answer without JSON', async () => {
    const remote = await fakeServer(200, JSON.stringify({ Status: 500, Message: 'Storage is read-only' }));
    expect((await test('en', remote)).Message).toBe(`Test failed: /api/v1/admin/storage/list-buckets on ${remote}: Storage is read-only`);
    expect((await test('de', remote)).Message).toBe(`Test fehlgeschlagen: /api/v1/admin/storage/list-buckets auf ${remote}: der Server antwortete mit Status 500: „Storage is read-only“`);
    const html = await fakeServer(502, '<html>bad gateway</html>');
    expect((await test('en', html)).Message).toBe(`Test failed: /api/v1/admin/storage/list-buckets on ${html} answered HTTP 502 without JSON`);
    expect((await test('ru', html)).Message).toBe(`Проверка не пройдена: /api/v1/admin/storage/list-buckets на ${html} ответил HTTP 502 без JSON`);
  });
});

describe('a Constellation report in the reader\'s language', () => {
  const buckets = (lang: Lang) => callIn(t.admin, lang, '/api/v1/admin/constellation/buckets');
  const setConfig = (options: Record<string, unknown>) => t.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [], ...options } });
  afterAll(() => setConfig({ RoleEnabled: false }).catch(() => undefined));

  it('a listed server that refuses: its Error and the buckets\' Reason in German and Japanese (tenant admin)', async () => {
    const remote = await fakeServer(200, JSON.stringify({ Status: 500, Message: 'Storage is read-only' }));
    const bucket = (await t.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    await setConfig({ Servers: [{ Type: 'comet', Description: 'Refusing server', RemoteAddress: remote, Username: 'someone', Password: 'Correct-Horse-42' }] });
    await t.admin.ok('/api/v1/admin/constellation/new-report');
    const en = await buckets('en');
    expect(en.Complete).toBe(false);
    const target = en.Targets.find((x: { Name: string }) => x.Name === 'Refusing server');
    expect(target).toMatchObject({ OK: false, Error: expect.stringMatching(/^\/api\/v1\/admin\/storage\/list-buckets on http:\/\/127\.0\.0\.1:\d+\/?: Storage is read-only$/) });
    const server = /on (\S+): /.exec(target.Error)![1];
    expect(en.Buckets.find((b: { BucketID: string }) => b.BucketID === bucket)).toMatchObject({ State: 'unknown', Reason: 'Not every target answered in this run: nothing is decided' });
    const de = await buckets('de');
    expect(de.Targets.find((x: { Name: string }) => x.Name === 'Refusing server').Error).toBe(`/api/v1/admin/storage/list-buckets auf ${server}: der Server antwortete mit Status 500: „Storage is read-only“`);
    expect(de.Buckets.find((b: { BucketID: string }) => b.BucketID === bucket).Reason).toBe('Nicht jedes Ziel hat in diesem Lauf geantwortet: nichts wird entschieden');
    const ja = await buckets('ja');
    expect(ja.Buckets.find((b: { BucketID: string }) => b.BucketID === bucket).Reason).toBe('この実行ではすべての対象が応答しませんでした。何も決定されません');
  });

  it('a complete report: the Reason with its counts in German and Spanish; a verdict stored before ReasonKey keeps its text', async () => {
    const bucket = (await t.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    await setConfig({ DeleteUnusedData: true });
    await t.admin.ok('/api/v1/admin/constellation/new-report');
    const reason = async (lang: Lang) => (await buckets(lang)).Buckets.find((b: { BucketID: string }) => b.BucketID === bucket).Reason;
    const en = await reason('en');
    const streak = /^Unused in (\d+) of the 3 consecutive reports needed$/.exec(en);
    expect(streak, en).toBeTruthy();
    expect(await reason('de')).toBe(`Ungenutzt in ${streak![1]} der 3 nötigen aufeinanderfolgenden Berichte`);
    expect(await reason('es')).toBe(`Sin uso en ${streak![1]} de los 3 informes consecutivos necesarios`);
    await sql(
      `UPDATE "ConstellationReport" SET verdicts = jsonb_set(verdicts, ARRAY[$2]::text[], (verdicts->$2) - 'ReasonKey') WHERE id = (SELECT "lastReportId" FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = $2)`,
      [t.id, bucket],
    );
    expect(await reason('de')).toBe(en);
  });

  it('the names Halley gives targets: Targets[].Name and status TargetNames in German; a report from before keeps its names', async () => {
    const remote = await fakeServer(200, JSON.stringify({ Status: 500, Message: 'Storage is read-only' }));
    const templates = ((await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/get')) ?? []) as unknown[];
    const template = { Type: 'comet', Description: 'Remote role', ID: '', RemoteAddress: remote, Username: 'someone', Password: 'Correct-Horse-42' };
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [...templates, template] });
    try {
      await setConfig({});
      const status = async (lang: Lang) => (await callIn(t.admin, lang, '/api/v1/admin/constellation/status')).TargetNames as string[];
      expect(await status('en')).toEqual(['This server (Storage Role buckets and users)', 'Storage Template: Remote role']);
      expect(await status('de')).toEqual(['Dieser Server (Storage-Role-Buckets und Benutzer)', 'Speichervorlage: Remote role']);
      await t.admin.ok('/api/v1/admin/constellation/new-report');
      const names = async (lang: Lang) => ((await buckets(lang)).Targets as Array<{ Name: string }>).map((x) => x.Name);
      expect(await names('en')).toEqual(['This server (Storage Role buckets and users)', 'Storage Template: Remote role']);
      expect(await names('de')).toEqual(['Dieser Server (Storage-Role-Buckets und Benutzer)', 'Speichervorlage: Remote role']);
      expect(await names('ja')).toEqual(['このサーバー (Storage Role のバケットとユーザー)', 'ストレージテンプレート: Remote role']);
      // A report stored before NameKey answers its names as they were written.
      await sql(
        `UPDATE "ConstellationReport" SET targets = (SELECT jsonb_agg(x - 'NameKey') FROM jsonb_array_elements(targets) x) WHERE id = (SELECT id FROM "ConstellationReport" WHERE "tenantId" = $1 AND completed > 0 ORDER BY "createdAt" DESC LIMIT 1)`,
        [t.id],
      );
      expect(await names('de')).toEqual(['This server (Storage Role buckets and users)', 'Storage Template: Remote role']);
    } finally {
      await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: templates });
    }
  });
});

describe('runs a restore finds unfinished', () => {
  it('failed with the reason stored as its message (German on reading); an archive from before the column keeps the English', async () => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    const client = new pg.Client({ connectionString: scratch.url });
    try {
      await applyMigrations(scratch.url, { log: () => {} });
      await client.connect();
      await client.query(`INSERT INTO "SelfBackupRun" (id, status) VALUES ('r-running', 'running'), ('r-queued', 'queued'), ('r-done', 'success')`);
      expect(await failUnfinishedRuns(client)).toBe(2);
      const rows = (await client.query(`SELECT id, status, error, "errorMessage", "endedAt" IS NOT NULL AS ended FROM "SelfBackupRun" ORDER BY id`)).rows;
      expect(rows.map((r) => [r.id, r.status, r.ended])).toEqual([['r-done', 'success', false], ['r-queued', 'failed', true], ['r-running', 'failed', true]]);
      const failed = rows.find((r) => r.id === 'r-running');
      expect(failed.error).toBe('Not finished when the archive was written (restored server)');
      expect(renderStoredMessage(failed.errorMessage, failed.error, 'de')).toBe('Beim Schreiben des Archivs nicht beendet (wiederhergestellter Server)');

      // The schema of an archive written before migration 20261209170000_stored_errors.
      await client.query(`ALTER TABLE "SelfBackupRun" DROP COLUMN "errorMessage"`);
      await client.query(`INSERT INTO "SelfBackupRun" (id, status) VALUES ('r-old', 'running')`);
      expect(await failUnfinishedRuns(client)).toBe(1);
      expect((await client.query(`SELECT status, error FROM "SelfBackupRun" WHERE id = 'r-old'`)).rows).toEqual([{ status: 'failed', error: 'Not finished when the archive was written (restored server)' }]);
    } finally {
      await client.end().catch(() => undefined);
      await scratch.drop();
    }
  }, 120_000);
});
