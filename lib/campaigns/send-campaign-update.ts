// tenancy-file: system — the workers send a campaign's update to devices the campaign already selected
// Sends a campaign's update-software command to devices, at most once each: rows are claimed (PENDING ->
// REQUEST_MADE) in chunks, one statement per chunk, just before their commands leave (the next chunk while this one
// waits for room in flight), so concurrent drives or two workers never send one twice. A chunk's commands leave as one relay message per web node
// (relay.commandMany), not one per device. The devices' answers are written back in batches (one statement per
// outcome per flush): a device that cannot be reached goes back to PENDING (tried again when it connects or on
// the next tick); one that refuses the update is FAILED. One device (a connection notice) is a batch of one.
import { UpdateStatus } from '../comet/constants';
import { dbPool } from '../db/client';
import { env } from '../env';
import { log } from '../log';
import type { TCommand, TCommandResult } from '../live/protocol';
import { DeviceUnreachableError, relay } from '../live/relay';
import { apiMessage, causeOf } from '../i18n/api-messages';
import { deviceMessage } from './device-message';

const SEND_TIMEOUT_MS = 30_000;
/** Rows claimed per statement and sent per relay message; the next chunk is claimed while earlier ones are in flight. */
const CLAIM_CHUNK = 500;
/** Answers written back per statement at most, and how long one waits for company. */
const FLUSH_ROWS = 1000;
const FLUSH_MS = 200;

type TSendOutcome = 'sent' | 'refused' | 'unreachable' | 'skipped';
type TSendTarget = { id: string; conn: { connectionId: string; node: string } };

/** `key`: the message's JSON (CampaignDevice.messageKey), null for a device's own words on success. */
type TAnswer = { id: string; outcome: 'sent' | 'refused' | 'unreachable'; message: string; key: string | null; at: number };

const S = UpdateStatus;

/** An answer's Message: its English text and its JSON (device-message.ts). */
function answerMessage(why: Parameters<typeof deviceMessage>[0]): { message: string; key: string } {
  const { message, messageKey } = deviceMessage(why);
  return { message, key: JSON.stringify(messageKey) };
}

/** Claims the PENDING rows among `ids` (one statement); returns the claimed ids. */
async function claimRows(ids: string[], now: number): Promise<Set<string>> {
  const { rows } = await dbPool().query<{ id: string }>(
    `UPDATE "CampaignDevice" SET "status" = $1, "requestTime" = $2, "message" = '', "messageKey" = NULL, "updatedAt" = now()
      WHERE "id" = ANY($3::text[]) AND "status" = $4 RETURNING "id"`,
    [S.UPDATESTATUS_REQUEST_MADE, now, ids, S.UPDATESTATUS_PENDING],
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Writes the devices' answers, one statement per outcome; only rows still REQUEST_MADE change.
 *
 * The statements are shaped for PostgreSQL's planner, which otherwise picks a slow plan: the status a row must still
 * have comes with each answer (`v.s`) instead of as a constant, and the table is restricted by the ids alone
 * (`c.id = ANY($1)`). With `c.status = <constant>` the planner estimated that status's rows from the table's
 * statistics, which between two campaigns hold no REQUEST_MADE row: it expected one row, scanned the table for it and
 * joined every REQUEST_MADE row to every answer (1.7 s for 1,000 answers in a 10,000-device campaign, where this
 * form takes ~20 ms: the ids' rows by the primary key, hashed against the answers).
 */
async function writeAnswers(answers: TAnswer[]): Promise<void> {
  const of = (o: TAnswer['outcome']) => answers.filter((a) => a.outcome === o);
  const sent = of('sent');
  const refused = of('refused');
  const unreachable = of('unreachable');
  const pool = dbPool();
  const requestMade = (rows: TAnswer[]) => rows.map(() => S.UPDATESTATUS_REQUEST_MADE);
  const statements: Array<Promise<unknown>> = [];
  if (sent.length) {
    statements.push(
      pool.query(
        `UPDATE "CampaignDevice" AS c SET "message" = v.m, "messageKey" = v.k::jsonb, "updatedAt" = now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS v(id, m, k, s)
          WHERE c."id" = ANY($1::text[]) AND c."id" = v.id AND c."status" = v.s`,
        [sent.map((a) => a.id), sent.map((a) => a.message), sent.map((a) => a.key), requestMade(sent)],
      ),
    );
  }
  if (refused.length) {
    statements.push(
      pool.query(
        `UPDATE "CampaignDevice" AS c SET "status" = $6, "resultTime" = v.t, "message" = v.m, "messageKey" = v.k::jsonb, "updatedAt" = now()
           FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int4[]) AS v(id, m, t, k, s)
          WHERE c."id" = ANY($1::text[]) AND c."id" = v.id AND c."status" = v.s`,
        [refused.map((a) => a.id), refused.map((a) => a.message), refused.map((a) => a.at), refused.map((a) => a.key), requestMade(refused), S.UPDATESTATUS_UPDATE_FAILED],
      ),
    );
  }
  if (unreachable.length) {
    statements.push(
      pool.query(
        `UPDATE "CampaignDevice" AS c SET "status" = $5, "requestTime" = 0, "message" = v.m, "messageKey" = v.k::jsonb, "updatedAt" = now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS v(id, m, k, s)
          WHERE c."id" = ANY($1::text[]) AND c."id" = v.id AND c."status" = v.s`,
        [unreachable.map((a) => a.id), unreachable.map((a) => a.message), unreachable.map((a) => a.key), requestMade(unreachable), S.UPDATESTATUS_PENDING],
      ),
    );
  }
  await Promise.all(statements);
}

/** Collects answers and writes them every FLUSH_MS or FLUSH_ROWS, one write at a time. */
function answerWriter() {
  let buffer: TAnswer[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    if (batch.length) chain = chain.then(() => writeAnswers(batch));
    return chain;
  };
  return {
    add(a: TAnswer) {
      buffer.push(a);
      if (buffer.length >= FLUSH_ROWS) void flush();
      else timer ??= setTimeout(() => void flush(), FLUSH_MS);
    },
    flush,
  };
}

/** A counting gate: at most `limit` units held at once; `enter(n)` waits its turn (first come, first served) until n are free. */
function gate(limit: number) {
  let free = limit;
  const waiting: Array<{ n: number; resolve: () => void }> = [];
  return {
    async enter(n: number): Promise<void> {
      if (waiting.length === 0 && free >= n) {
        free -= n;
        return;
      }
      await new Promise<void>((resolve) => waiting.push({ n, resolve }));
    },
    leave(n = 1): void {
      free += n;
      while (waiting.length > 0 && free >= waiting[0].n) {
        const next = waiting.shift()!;
        free -= next.n;
        next.resolve();
      }
    },
  };
}

export async function sendCampaignUpdates(targets: TSendTarget[], campaign: { targetVersion: string; selfAddress: string }): Promise<Record<TSendOutcome, number>> {
  const count: Record<TSendOutcome, number> = { sent: 0, refused: 0, unreachable: 0, skipped: 0 };
  if (targets.length === 0) return count;
  const cmd: TCommand = { type: 'update-software', selfAddress: campaign.selfAddress, version: campaign.targetVersion };
  const writer = answerWriter();
  // HALLEY_CAMPAIGN_SEND_CONCURRENCY bounds the commands in flight: a chunk leaves when that many minus its size
  // are still unanswered, and every answer makes room for one more.
  const concurrency = env().HALLEY_CAMPAIGN_SEND_CONCURRENCY;
  const chunkSize = Math.min(CLAIM_CHUNK, concurrency);
  const inFlight = gate(concurrency);
  let failure: { err: Error; devices: number } | undefined;
  const record = (t: TSendTarget, result: TCommandResult | Error) => {
    const at = Date.now();
    let answer: TAnswer;
    if (result instanceof Error) {
      if (!(result instanceof DeviceUnreachableError)) failure = { err: result, devices: (failure?.devices ?? 0) + 1 };
      answer = { id: t.id, outcome: 'unreachable', ...answerMessage(apiMessage('campaignDeviceNotDelivered', { reason: causeOf(result) })), at };
    } else {
      // The device's own words: verbatim on success, inside the translated sentence when it refuses.
      answer = result.ok
        ? { id: t.id, outcome: 'sent', message: result.message.slice(0, 1000), key: null, at }
        : { id: t.id, outcome: 'refused', ...answerMessage(apiMessage('campaignDeviceRefused', { reason: result.message.slice(0, 1000) })), at };
    }
    count[answer.outcome] += 1;
    writer.add(answer);
    inFlight.leave();
  };
  const sends: Array<Promise<void>> = [];
  // The next chunk is claimed while this one waits for room in flight, so a claim's round trip is not between an
  // answer and the next command: at most one chunk is claimed and not sent yet, and it is sent as soon as room is free.
  const claim = (from: number) => {
    const chunk = targets.slice(from, from + chunkSize);
    return claimRows(
      chunk.map((t) => t.id),
      Date.now(),
    ).then((claimed) => ({ chunk, claimed }));
  };
  try {
    let ahead = claim(0);
    for (let i = 0; i < targets.length; i += chunkSize) {
      const { chunk, claimed } = await ahead;
      if (i + chunkSize < targets.length) {
        ahead = claim(i + chunkSize);
        // Awaited on the next turn; a failure there ends the loop like a failure of this claim would have.
        ahead.catch(() => undefined);
      }
      count.skipped += chunk.length - claimed.size;
      const mine = chunk.filter((t) => claimed.has(t.id));
      if (mine.length === 0) continue;
      await inFlight.enter(mine.length);
      sends.push(relay().commandMany(mine.map((t) => ({ ...t.conn, target: t })), cmd, SEND_TIMEOUT_MS, (c, result) => record(c.target, result)));
    }
  } finally {
    // Claimed rows are always answered (sent, refused, or back to PENDING), also when a later claim failed.
    await Promise.all(sends);
    await writer.flush();
    // One line per drive, not one per device, when Redis fails under a whole fleet.
    if (failure) log.warn({ err: failure.err, devices: failure.devices }, 'campaign: sending an update failed');
  }
  return count;
}

/** One device (it connected while a campaign is current). */
export async function sendCampaignUpdate(row: { id: string }, conn: TSendTarget['conn'], campaign: { targetVersion: string; selfAddress: string }): Promise<TSendOutcome> {
  const count = await sendCampaignUpdates([{ id: row.id, conn }], campaign);
  return (Object.keys(count) as TSendOutcome[]).find((k) => count[k] > 0) ?? 'skipped';
}
