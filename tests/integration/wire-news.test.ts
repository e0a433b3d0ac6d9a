// Issue 19: news items and email bulletins (admin/news/*, user/web/news/get-all, admin/bulletin/submit),
// dispatcher/email-preview (admin and end user) and admin/convert-storage-role, with tenant admins, another
// tenant's objects (answered exactly like missing ones) and bad input.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CONNECT_PATH, PROTOCOL_VERSION } from '../../lib/live/protocol';
import { client, makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { liveConnectionId } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';

let t: TenantFixture;
let other: TenantFixture;
let sink: SmtpSink;
let restorePrivate: () => Promise<void>;

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('news');
  other = await makeTenant('news-other');
  restorePrivate = await allowPrivateTargets(true);
  sink = await startSmtpSink();
}, 60_000);

afterAll(async () => {
  await sink?.close();
  await restorePrivate?.();
});

describe('news', () => {
  it('a tenant admin submits, lists and removes news; its users read them; another tenant sees none of it', async () => {
    const text = uniq('Maintenance on Saturday');
    await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: `  ${text}  ` });
    const all = await t.admin.ok('/api/v1/admin/news/get-all');
    const [id, entry] = Object.entries(all as Record<string, any>).find(([, e]) => e.TextContent === text)!;
    expect(entry.OrganizationID).toBe(t.id);
    expect(Math.abs(entry.DateTime - Date.now() / 1000)).toBeLessThan(120);

    const user = await makeUser(t.admin);
    const seen = await client({ username: user.username, password: user.password }).ok('/api/v1/user/web/news/get-all');
    expect(seen[id].TextContent).toBe(text);

    // Another tenant: not listed, not removable, and the refusal reads exactly like a missing id.
    expect(Object.keys(await other.admin.ok('/api/v1/admin/news/get-all'))).not.toContain(id);
    const otherUser = await makeUser(other.admin);
    expect(Object.keys(await client({ username: otherUser.username, password: otherUser.password }).ok('/api/v1/user/web/news/get-all'))).not.toContain(id);
    const foreign = await other.admin.fails('/api/v1/admin/news/remove', { NewsItem: id });
    const missing = await other.admin.fails('/api/v1/admin/news/remove', { NewsItem: 'no-such-news' });
    expect(foreign.Status).toBe(404);
    expect(foreign.Message.replace(id, '<id>')).toBe(missing.Message.replace('no-such-news', '<id>'));
    expect(Object.keys(await t.admin.ok('/api/v1/admin/news/get-all'))).toContain(id);

    // The top-level admin sees every organization's news.
    expect(Object.keys(await (await rootClient()).ok('/api/v1/admin/news/get-all'))).toContain(id);

    await t.admin.ok('/api/v1/admin/news/remove', { NewsItem: id });
    expect(Object.keys(await t.admin.ok('/api/v1/admin/news/get-all'))).not.toContain(id);
  });

  it('lists items of the same second newest first, in the order they were submitted', async () => {
    const texts = [uniq('first'), uniq('second'), uniq('third')];
    for (const text of texts) await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: text });
    // DateTime has whole seconds (Comet's field): put all three in one second, as a quick admin would.
    const ids = Object.entries((await t.admin.ok('/api/v1/admin/news/get-all')) as Record<string, any>)
      .filter(([, e]) => texts.includes(e.TextContent))
      .map(([id]) => id);
    await sql('UPDATE "NewsItem" SET "dateTime" = $2 WHERE id = ANY($1::text[])', [ids, Math.floor(Date.now() / 1000)]);
    for (let round = 0; round < 3; round++) {
      const listed = Object.values((await t.admin.ok('/api/v1/admin/news/get-all')) as Record<string, any>).map((e) => e.TextContent).filter((x) => texts.includes(x));
      expect(listed).toEqual([...texts].reverse());
    }
    for (const id of ids) await t.admin.ok('/api/v1/admin/news/remove', { NewsItem: id });
  });

  it('refuses empty and oversize news, in the caller\'s language', async () => {
    const empty = await t.admin.fails('/api/v1/admin/news/submit', { NewsContent: '   ' });
    expect(empty.Status).toBe(400);
    expect(empty.Message).toBe('A news item must have some text');
    expect((await t.admin.fails('/api/v1/admin/news/submit', { NewsContent: 'x'.repeat(20_001) })).Message).toMatch(/longer than 20,?000 characters/);
    const de = await t.admin.raw('/api/v1/admin/news/submit', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de-DE' },
      body: new URLSearchParams({ Username: t.adminName, AuthType: 'Password', Password: t.admin.creds!.password!, NewsContent: '' }),
    });
    expect(de.body.Message).toBe('Eine Neuigkeit muss Text enthalten');
  });
});

describe('bulletins', () => {
  it("emails every address of the tenant's users, once each, and nobody else's", async () => {
    const root = await rootClient();
    await root.ok('/api/v1/admin/meta/email-options/set', {
      TargetOrganization: t.id,
      EmailOptions: { Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPAllowUnencrypted: true, FromEmail: 'news@acme.example', FromName: 'Acme' },
    });
    const mine = [`${uniq('one')}@acme.example`, `${uniq('two')}@acme.example`];
    for (const [i, email] of mine.entries()) {
      const u = await makeUser(t.admin);
      const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u.username });
      // The second user repeats the first address: one email per address.
      await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: u.username, ProfileData: { ...Profile, Emails: i === 0 ? [email] : [email, mine[0]] }, RequireHash: ProfileHash });
    }
    const theirs = `${uniq('other')}@other.example`;
    const ou = await makeUser(other.admin);
    const op = await other.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: ou.username });
    await other.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: ou.username, ProfileData: { ...op.Profile, Emails: [theirs] }, RequireHash: op.ProfileHash });

    const subject = uniq('Planned maintenance');
    await t.admin.ok('/api/v1/admin/bulletin/submit', { Subject: subject, Content: 'Backups pause on Saturday.\n\nThey resume <on Sunday>.' });
    for (const email of mine) {
      const m = await sink.waitFor((x) => x.envelopeTo.includes(email) && x.mail.subject === subject);
      expect(m.mail.text).toContain('They resume <on Sunday>.');
      expect(String(m.mail.html)).toContain('They resume &lt;on Sunday&gt;.');
    }
    // Both fan-out emails arrived; the deliveries log shows exactly these recipients for the bulletin.
    expect(JSON.stringify(await root.ok('/api/v1/admin/meta/email-deliveries', { TargetOrganization: t.id }))).not.toContain(theirs);
    expect(sink.messages.filter((m) => m.mail.subject === subject).map((m) => m.envelopeTo).flat().sort()).toEqual([...mine].sort());
  });

  it('refuses a bulletin without subject or content', async () => {
    expect((await t.admin.fails('/api/v1/admin/bulletin/submit', { Subject: '', Content: 'x' })).Message).toBe('A bulletin needs a subject');
    expect((await t.admin.fails('/api/v1/admin/bulletin/submit', { Subject: 'Hello', Content: '  ' })).Message).toBe('A bulletin needs some content');
  });
});

type Peer = { ws: WebSocket; close: () => void };

async function liveDevice(owner: TenantFixture, user: { username: string; password: string }): Promise<{ peer: Peer; connectionId: string }> {
  const ws = new WebSocket(halleyUrl().replace('http', 'ws') + DEVICE_CONNECT_PATH, { perMessageDeflate: false });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const deviceId = uniq('mailbox-dev');
  ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password', username: user.username, password: user.password }, device: { deviceId, friendlyName: 'raw', version: '1', platform: 'linux' } }));
  const connectionId = await liveConnectionId(owner.admin, deviceId);
  return { peer: { ws, close: () => ws.close() }, connectionId };
}

describe('dispatcher/email-preview', () => {
  it('answers 403 Unauthorised for a missing or foreign connection, then a specific error for a reachable one', async () => {
    const user = await makeUser(t.admin);
    const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: { ...Profile, Destinations: { v1: { Description: 'Local', DestinationType: 1002, LocalcopyPath: '/tmp/news-v1' } } }, RequireHash: ProfileHash });
    const { peer, connectionId } = await liveDevice(t, user);
    try {
      const params = { TargetID: connectionId, Snapshot: 'snap-1', Destination: 'v1', Path: 'Inbox/1.eml' };
      const foreign = await other.admin.fails('/api/v1/admin/dispatcher/email-preview', params);
      const missing = await other.admin.fails('/api/v1/admin/dispatcher/email-preview', { ...params, TargetID: 'no-such-connection' });
      expect(foreign).toEqual({ Status: 403, Message: 'Unauthorised' });
      expect(missing).toEqual(foreign);
      const otherUser = await makeUser(other.admin);
      expect(await client({ username: otherUser.username, password: otherUser.password }).fails('/api/v1/user/dispatcher/email-preview', params)).toEqual({ Status: 403, Message: 'Unauthorised' });

      const noVault = await t.admin.fails('/api/v1/admin/dispatcher/email-preview', { ...params, Destination: 'nope' });
      expect(noVault.Message).toMatch(/Storage vault 'nope' was not found/);
      expect((await t.admin.fails('/api/v1/admin/dispatcher/email-preview', { ...params, Path: ' ' })).Message).toMatch(/'Path'/);
      const answer = await t.admin.fails('/api/v1/admin/dispatcher/email-preview', params);
      expect(answer.Status).toBe(400);
      expect(answer.Message).toMatch(/does not back up mailboxes/);
      const own = await client({ username: user.username, password: user.password }).fails('/api/v1/user/dispatcher/email-preview', params);
      expect(own.Message).toBe(answer.Message);
    } finally {
      peer.close();
    }
  });
});

describe('admin/convert-storage-role', () => {
  it('explains why a vault cannot be converted, and treats a foreign user like a missing one', async () => {
    const user = await makeUser(t.admin);
    const bucket = (await t.admin.ok('/api/v1/admin/storage/register-bucket', {})).NewBucketID;
    const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    await t.admin.ok('/api/v1/admin/set-user-profile-hash', {
      TargetUser: user.username,
      RequireHash: ProfileHash,
      ProfileData: {
        ...Profile,
        Destinations: {
          here: { Description: 'Storage Role', DestinationType: 1003, CometServer: 'http://localhost:8060', CometBucket: bucket, CometBucketKey: 'k'.repeat(24) },
          away: { Description: 'Remote', DestinationType: 1003, CometServer: 'https://backup.example', CometBucket: 'elsewhere', CometBucketKey: 'k'.repeat(24) },
          local: { Description: 'Local', DestinationType: 1002, LocalcopyPath: '/tmp/x' },
        },
      },
    });
    const call = (DestinationId: string, by = t.admin, TargetUser = user.username) => by.fails('/api/v1/admin/convert-storage-role', { TargetUser, DestinationId });
    expect((await call('here')).Message).toMatch(/this server's Storage Role on its own disk/);
    expect((await call('away')).Message).toMatch(/another server's Storage Role/);
    expect((await call('local')).Message).toMatch(/not a Storage Role vault \(its type is 1002\)/);
    expect((await call('none')).Status).toBe(404);
    const foreign = await call('here', other.admin);
    const missing = await call('here', other.admin, 'no-such-user');
    expect(foreign.Status).toBe(400);
    expect(foreign.Message.replace(user.username, '<u>')).toBe(missing.Message.replace('no-such-user', '<u>'));
    // Nothing changed.
    const after = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
    expect(after.Destinations.here.DestinationType).toBe(1003);
  });
});
