// SESSION_EXPIRE events: an admin or user session that reaches its idle expiry is reported once.
import { expect, it } from 'vitest';
import { reportExpiredSessions } from '../../lib/auth/session-expiry';
import { StreamableEventType as SEVT } from '../../lib/comet/constants';
import { client, makeUser, rootClient } from '../helpers/fixtures';
import { eventsFor, makeAdmin, sql } from '../helpers/security';

it('reports an expired admin session once and refuses its key', async () => {
  const admin = await makeAdmin('expiry');
  const { SessionKey } = await client(admin).ok('/api/v1/admin/account/session-start');
  const byKey = client({ username: admin.username, sessionKey: SessionKey });
  await byKey.ok('/api/v1/admin/account/properties');

  await sql(`UPDATE "Session" s SET "expiresAt" = now() - interval '1 second' FROM "AdminUser" a WHERE s."adminId" = a.id AND a.username = $1`, [admin.username]);
  // The workers' expire-sessions schedule (every minute) may claim this session before the test's own
  // call does: whoever reports it, it is reported exactly once.
  await reportExpiredSessions();
  await reportExpiredSessions();
  const events = await eventsFor(admin.username, SEVT.SEVT_ACCOUNT_ADMIN_SESSION_EXPIRE);
  expect(events).toHaveLength(1);
  expect(events[0].actor).toBe('system');

  const r = await byKey.call('/api/v1/admin/account/properties');
  expect(r.body).toEqual({ Status: 403, Message: expect.stringMatching(/session/i) });
});

it('reports an expired end-user session, and never a revoked one', async () => {
  const user = await makeUser(await rootClient());
  const u = client(user);
  await u.ok('/api/v1/user/web/session/start');
  const revoked = await u.ok('/api/v1/user/web/session/start');
  await client({ username: user.username, sessionKey: revoked.SessionKey }).ok('/api/v1/user/web/session/revoke');
  await sql(`UPDATE "Session" s SET "expiresAt" = now() - interval '1 second' FROM "Account" a WHERE s."accountId" = a.id AND a.username = $1`, [user.username]);
  await reportExpiredSessions();
  expect(await eventsFor(user.username, SEVT.SEVT_ACCOUNT_SESSION_EXPIRE)).toHaveLength(1);
});
