// Retention of the webhook delivery log and of the Event outbox (lib/webhooks/retention.ts), run directly
// against the test database: old finished deliveries go, pending ones stay; old events go once the
// webhook dispatcher has passed them, recent ones stay.
import { afterAll, expect, it } from 'vitest';
import { closeDb } from '../../lib/db/client';
import { purgeWebhookHistory } from '../../lib/webhooks/retention';
import { rootClient, uniq } from '../helpers/fixtures';
import { sql } from '../helpers/security';

afterAll(() => closeDb());

it('purges finished deliveries and read events past their retention, and nothing else', async () => {
  await rootClient();
  const tag = uniq('retention');
  const [{ id: webhookId }] = await sql(
    `INSERT INTO "Webhook" (id, "tenantId", name, url, secret, "updatedAt") VALUES (gen_random_uuid()::text, '00000000-0000-0000-0000-000000000000', $1, 'http://192.0.2.1/x', 'v1:x:y:z', now()) RETURNING id`,
    [tag],
  );
  // Level "none": the shared workers must not try to deliver to this webhook.
  await sql(`UPDATE "Webhook" SET level = 'none' WHERE id = $1`, [webhookId]);
  const events = await sql<{ id: string }>(
    `INSERT INTO "Event" ("tenantId", type, actor, "resourceId", timestamp, "createdAt")
     VALUES ('00000000-0000-0000-0000-000000000000', 4102, 'test', $1, 0, now() - interval '400 days'),
            ('00000000-0000-0000-0000-000000000000', 4102, 'test', $1, 0, now())
     RETURNING id::text`,
    [tag],
  );
  const [oldEvent, newEvent] = events.map((e) => e.id);
  const rows = await sql<{ id: string; status: string }>(
    `INSERT INTO "WebhookDelivery" ("webhookId", "tenantId", "eventId", "eventType", status, "updatedAt")
     VALUES ($1, '00000000-0000-0000-0000-000000000000', $2, 4102, 'delivered', now() - interval '400 days'),
            ($1, '00000000-0000-0000-0000-000000000000', $3, 4102, 'pending', now() - interval '400 days'),
            ($1, '00000000-0000-0000-0000-000000000000', NULL, 4000, 'failed', now())
     RETURNING id::text, status`,
    [webhookId, oldEvent, newEvent],
  );
  // The dispatcher of the shared workers passes the new events within moments.
  for (let i = 0; ; i++) {
    const [c] = await sql(`SELECT "eventId"::text AS id FROM "OutboxCursor" WHERE name = 'webhooks'`);
    if (BigInt(c.id) >= BigInt(newEvent)) break;
    if (i > 600) throw new Error('the webhook dispatcher did not pass the test events');
    await new Promise((r) => setTimeout(r, 50));
  }
  const purged = await purgeWebhookHistory();
  expect(purged.deliveries).toBeGreaterThanOrEqual(1);
  expect(purged.events).toBeGreaterThanOrEqual(1);
  const left = await sql<{ status: string }>(`SELECT status FROM "WebhookDelivery" WHERE id = ANY($1::bigint[]) ORDER BY id`, [rows.map((r) => r.id)]);
  expect(left.map((r) => r.status)).toEqual(['pending', 'failed']);
  const eventsLeft = await sql<{ id: string }>(`SELECT id::text FROM "Event" WHERE "resourceId" = $1`, [tag]);
  expect(eventsLeft.map((e) => e.id)).toEqual([newEvent]);
  await sql(`DELETE FROM "Webhook" WHERE id = $1`, [webhookId]);
});
