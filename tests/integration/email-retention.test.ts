// Retention of the email log (lib/email/retention.ts), run directly against the test database: finished
// report emails past HALLEY_EMAIL_LOG_RETENTION_DAYS go; recent ones and ones still being retried stay.
import { afterAll, expect, it } from 'vitest';
import { closeDb } from '../../lib/db/client';
import { purgeEmailLog } from '../../lib/email/retention';
import { makeTenant, uniq } from '../helpers/fixtures';
import { sql } from '../helpers/security';

afterAll(() => closeDb());

it('purges finished report emails past their retention, and nothing else', async () => {
  const t = await makeTenant('email-retention');
  const key = `admin:${t.id}:${uniq('r')}`;
  const rows = await sql<{ id: string }>(
    `INSERT INTO "EmailDelivery" (id, "tenantId", "reportKey", "reportType", recipient, occurrence, status, "createdAt", "updatedAt") VALUES
       (gen_random_uuid()::text, $1, $2, 1, 'a@x.example', 'period:1-2', 'sent', now() - interval '400 days', now()),
       (gen_random_uuid()::text, $1, $2, 1, 'b@x.example', 'period:1-2', 'failed', now() - interval '400 days', now()),
       (gen_random_uuid()::text, $1, $2, 1, 'c@x.example', 'period:1-2', 'retrying', now() - interval '400 days', now()),
       (gen_random_uuid()::text, $1, $2, 1, 'd@x.example', 'period:1-2', 'sent', now() - interval '10 days', now())
     RETURNING id`,
    [t.id, key],
  );
  expect(rows).toHaveLength(4);
  expect(await purgeEmailLog()).toBeGreaterThanOrEqual(2);
  const left = await sql<{ recipient: string }>(`SELECT recipient FROM "EmailDelivery" WHERE "reportKey" = $1 ORDER BY recipient`, [key]);
  expect(left.map((r) => r.recipient)).toEqual(['c@x.example', 'd@x.example']);
});
