// The per-webhook share of delivery slots (lib/webhooks/webhook-slots.ts): all slots but one for a webhook alone,
// half while others are busy, one for a webhook that stopped answering, back to its share once it answers.
import { beforeAll, describe, expect, it } from 'vitest';

let slots: typeof import('../../lib/webhooks/webhook-slots');

beforeAll(async () => {
  process.env.HALLEY_WEBHOOK_CONCURRENCY = '8';
  process.env.HALLEY_WEBHOOK_TIMEOUT_MS = '3000';
  delete process.env.HALLEY_WEBHOOK_PER_TARGET_JOBS;
  slots = await import('../../lib/webhooks/webhook-slots');
});

function take(id: string, n: number) {
  const got = Array.from({ length: n }, () => slots.takeWebhookSlot(id));
  expect(got.every(Boolean)).toBe(true);
  return got.map((s) => s!);
}

describe('webhook slots', () => {
  it('gives a webhook alone all slots but one, and half once another webhook is busy too', () => {
    const a = take('alone', 7);
    expect(slots.takeWebhookSlot('alone')).toBeNull();
    const b = take('other', 4); // half of 8: another webhook (alone) asked within the last seconds
    expect(slots.takeWebhookSlot('other')).toBeNull();
    for (const s of [...a, ...b]) s.release(true);
  });

  it('gives a webhook that stopped answering one slot until it answers again', () => {
    const first = slots.takeWebhookSlot('quiet')!;
    first.release(false); // time-out or refused connection
    expect(slots.webhookShare('quiet')).toBe(1);
    expect(slots.postponeMs('quiet')).toBeGreaterThanOrEqual(3000);
    const one = slots.takeWebhookSlot('quiet')!;
    expect(slots.takeWebhookSlot('quiet')).toBeNull();
    one.release(true); // answered (any HTTP status)
    expect(slots.webhookShare('quiet')).toBeGreaterThan(1);
    expect(slots.postponeMs('quiet')).toBeLessThan(1500);
  });

  it('releases a slot once, however often release is called', () => {
    const [s, ...rest] = take('twice', 4);
    s.release(true);
    s.release(true);
    const u = take('twice', 1);
    expect(slots.takeWebhookSlot('twice')).toBeNull();
    for (const x of [...rest, ...u]) x.release(true);
  });
});
