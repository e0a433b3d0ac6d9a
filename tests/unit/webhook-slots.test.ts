// The per-webhook share of delivery slots (lib/webhooks/webhook-slots.ts): half the process's slots per webhook,
// one for a webhook that stopped answering, back to its share once it answers.
import { beforeAll, describe, expect, it } from 'vitest';

let slots: typeof import('../../lib/webhooks/webhook-slots');

beforeAll(async () => {
  process.env.HALLEY_WEBHOOK_CONCURRENCY = '4';
  process.env.HALLEY_WEBHOOK_TIMEOUT_MS = '3000';
  delete process.env.HALLEY_WEBHOOK_PER_TARGET_JOBS;
  slots = await import('../../lib/webhooks/webhook-slots');
});

describe('webhook slots', () => {
  it('gives one webhook half the slots and leaves the rest to others', () => {
    const a = [slots.takeWebhookSlot('a'), slots.takeWebhookSlot('a')];
    expect(a.every(Boolean)).toBe(true);
    expect(slots.takeWebhookSlot('a')).toBeNull();
    const b = slots.takeWebhookSlot('b');
    expect(b).not.toBeNull();
    a[0]!.release(true);
    const again = slots.takeWebhookSlot('a');
    expect(again).not.toBeNull();
    for (const s of [a[1], again, b]) s!.release(true);
  });

  it('gives a webhook that stopped answering one slot until it answers again', () => {
    const first = slots.takeWebhookSlot('quiet')!;
    first.release(false); // time-out or refused connection
    expect(slots.webhookShare('quiet')).toBe(1);
    expect(slots.postponeMs('quiet')).toBeGreaterThanOrEqual(3000);
    const one = slots.takeWebhookSlot('quiet')!;
    expect(slots.takeWebhookSlot('quiet')).toBeNull();
    one.release(true); // answered (any HTTP status)
    expect(slots.webhookShare('quiet')).toBe(2);
    expect(slots.postponeMs('quiet')).toBeLessThan(1500);
  });

  it('releases a slot once, however often release is called', () => {
    const s = slots.takeWebhookSlot('twice')!;
    const t = slots.takeWebhookSlot('twice')!;
    s.release(true);
    s.release(true);
    const u = slots.takeWebhookSlot('twice');
    expect(u).not.toBeNull();
    expect(slots.takeWebhookSlot('twice')).toBeNull();
    t.release(true);
    u!.release(true);
  });
});
