// tenancy-file: system — a lock named after a campaign id, no tenant data
// The start request tells the workers to drive the new campaign before its rows are written, so that the drive's
// first reads that need no rows (every connection the relay lists, the devices running a job) overlap the start's
// INSERT of one row per device. The start's transaction holds this lock from before that request until it commits;
// the drive waits for it before it reads the campaign and its rows. A drive of a campaign no start is writing passes
// at once (one round trip).
import { dbPool, type Tx } from '../db/client';

const key = (campaignId: string) => `campaign-start:${campaignId}`;

/** Taken inside the start's transaction, before the drive is requested; released when it commits or rolls back. */
export async function holdCampaignStart(tx: Tx, campaignId: string): Promise<void> {
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', key(campaignId));
}

/** Returns once no start of this campaign is being written (its transaction committed or rolled back). */
export async function waitForCampaignStart(campaignId: string): Promise<void> {
  // One statement outside a transaction: the shared lock is granted when the start's lock is released, and released
  // again at once, when the statement ends.
  await dbPool().query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [key(campaignId)]);
}
