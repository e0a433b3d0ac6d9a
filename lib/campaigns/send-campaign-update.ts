// tenancy-file: system — the workers send a campaign's update to devices the campaign already selected
// Sends a campaign's update-software command to devices, at most once each: rows are claimed (PENDING ->
// REQUEST_MADE) in chunks, one statement per chunk, just before their commands leave, so concurrent drives or
// two workers never send one twice. The devices' answers are written back in batches (one statement per
// outcome per flush): a device that cannot be reached goes back to PENDING (tried again when it connects or on
// the next tick); one that refuses the update is FAILED. One device (a connection notice) is a batch of one.
import { UpdateStatus } from '../comet/constants';
import { dbPool } from '../db/client';
import { env } from '../env';
import { log } from '../log';
import type { TCommand } from '../live/protocol';
import { DeviceUnreachableError, relay } from '../live/relay';
import { apiMessage, causeOf } from '../i18n/api-messages';
import { deviceMessage } from './device-message';

const SEND_TIMEOUT_MS = 30_000;
/** Rows claimed per statement; the next chunk is claimed while the previous one's commands are in flight. */
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

/** Writes the devices' answers, one statement per outcome; only rows still REQUEST_MADE change. */
async function writeAnswers(answers: TAnswer[]): Promise<void> {
  const of = (o: TAnswer['outcome']) => answers.filter((a) => a.outcome === o);
  const sent = of('sent');
  const refused = of('refused');
  const unreachable = of('unreachable');
  const pool = dbPool();
  const statements: Array<Promise<unknown>> = [];
  if (sent.length) {
    statements.push(
      pool.query(
        `UPDATE "CampaignDevice" AS c SET "message" = v.m, "messageKey" = v.k::jsonb, "updatedAt" = now()
           FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, m, k) WHERE c."id" = v.id AND c."status" = $4`,
        [sent.map((a) => a.id), sent.map((a) => a.message), sent.map((a) => a.key), S.UPDATESTATUS_REQUEST_MADE],
      ),
    );
  }
  if (refused.length) {
    statements.push(
      pool.query(
        `UPDATE "CampaignDevice" AS c SET "status" = $5, "resultTime" = v.t, "message" = v.m, "messageKey" = v.k::jsonb, "updatedAt" = now()
           FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[]) AS v(id, m, t, k) WHERE c."id" = v.id AND c."status" = $6`,
        [refused.map((a) => a.id), refused.map((a) => a.message), refused.map((a) => a.at), refused.map((a) => a.key), S.UPDATESTATUS_UPDATE_FAILED, S.UPDATESTATUS_REQUEST_MADE],
      ),
    );
  }
  if (unreachable.length) {
    statements.push(
      pool.query(
        `UPDATE "CampaignDevice" AS c SET "status" = $4, "requestTime" = 0, "message" = v.m, "messageKey" = v.k::jsonb, "updatedAt" = now()
           FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, m, k) WHERE c."id" = v.id AND c."status" = $5`,
        [unreachable.map((a) => a.id), unreachable.map((a) => a.message), unreachable.map((a) => a.key), S.UPDATESTATUS_PENDING, S.UPDATESTATUS_REQUEST_MADE],
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

/** A counting gate: at most `limit` holders at once. */
function gate(limit: number) {
  let free = limit;
  const waiting: Array<() => void> = [];
  return {
    async enter(): Promise<void> {
      if (free > 0) {
        free -= 1;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    leave(): void {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

export async function sendCampaignUpdates(targets: TSendTarget[], campaign: { targetVersion: string; selfAddress: string }): Promise<Record<TSendOutcome, number>> {
  const count: Record<TSendOutcome, number> = { sent: 0, refused: 0, unreachable: 0, skipped: 0 };
  if (targets.length === 0) return count;
  const cmd: TCommand = { type: 'update-software', selfAddress: campaign.selfAddress, version: campaign.targetVersion };
  const writer = answerWriter();
  const inFlight = gate(env().HALLEY_CAMPAIGN_SEND_CONCURRENCY);
  const sends: Array<Promise<void>> = [];
  const sendOne = async (t: TSendTarget): Promise<void> => {
    let answer: TAnswer;
    try {
      const result = await relay().command(t.conn, cmd, SEND_TIMEOUT_MS);
      // The device's own words: verbatim on success, inside the translated sentence when it refuses.
      answer = result.ok
        ? { id: t.id, outcome: 'sent', message: result.message.slice(0, 1000), key: null, at: Date.now() }
        : { id: t.id, outcome: 'refused', ...answerMessage(apiMessage('campaignDeviceRefused', { reason: result.message.slice(0, 1000) })), at: Date.now() };
    } catch (err) {
      if (!(err instanceof DeviceUnreachableError)) log.warn({ err }, 'campaign: sending an update failed');
      answer = { id: t.id, outcome: 'unreachable', ...answerMessage(apiMessage('campaignDeviceNotDelivered', { reason: causeOf(err as Error) })), at: Date.now() };
    } finally {
      inFlight.leave();
    }
    count[answer.outcome] += 1;
    writer.add(answer);
  };
  try {
    for (let i = 0; i < targets.length; i += CLAIM_CHUNK) {
      const chunk = targets.slice(i, i + CLAIM_CHUNK);
      const claimed = await claimRows(
        chunk.map((t) => t.id),
        Date.now(),
      );
      count.skipped += chunk.length - claimed.size;
      for (const t of chunk) {
        if (!claimed.has(t.id)) continue;
        await inFlight.enter();
        sends.push(sendOne(t));
      }
    }
    await Promise.all(sends);
  } finally {
    await writer.flush();
  }
  return count;
}

/** One device (it connected while a campaign is current). */
export async function sendCampaignUpdate(row: { id: string }, conn: TSendTarget['conn'], campaign: { targetVersion: string; selfAddress: string }): Promise<TSendOutcome> {
  const count = await sendCampaignUpdates([{ id: row.id, conn }], campaign);
  return (Object.keys(count) as TSendOutcome[]).find((k) => count[k] > 0) ?? 'skipped';
}
