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

  it('keeps the silence verdict when a job gives its slot back without attempting anything', () => {
    slots.takeWebhookSlot('idle')!.release(false);
    expect(slots.webhookShare('idle')).toBe(1);
    slots.takeWebhookSlot('idle')!.release(null);
    expect(slots.webhookShare('idle')).toBe(1);
  });

  it('wakes jobs postponed over the share once two of its slots stay free, oldest first, not while they are refilled', () => {
    const share = slots.webhookShare('burst');
    const held = take('burst', share);
    const woken: number[] = [];
    for (const n of [1, 2, 3]) slots.wakeWhenSlotsFree('burst', async () => void woken.push(n), 10_000);
    slots.wakeWhenSlotsFree('burst', async () => void woken.push(0), 0); // its delay is already over: not woken
    held[0].release(true); // one free slot: the queue takes it again at once during a burst
    expect(woken).toEqual([]);
    held[1].release(true); // two free: nothing of the webhook was waiting to take them
    expect(woken).toEqual([1]);
    held[2].release(true); // three free: two of them
    expect(woken).toEqual([1, 2, 3]);
    for (const s of held.slice(3)) s.release(true);
    expect(woken).toEqual([1, 2, 3]);
  });

  it('does not wake the postponed jobs of a webhook that stopped answering', () => {
    const s = slots.takeWebhookSlot('silent')!;
    const woken: number[] = [];
    slots.wakeWhenSlotsFree('silent', async () => void woken.push(1), 10_000);
    s.release(false); // its share is one job now, and it just ended: its jobs keep their long delay
    expect(woken).toEqual([]);
  });
});
