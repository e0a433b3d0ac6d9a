// "b2" templates (Backblaze B2, native API): with the template's master key (KeyID/AppKey), a new
// private bucket per vault, or with MasterBucket a per-vault prefix in that bucket; then an application
// key restricted to that bucket (and prefix) for the vault, so one vault's key opens nothing else. The
// vault is a B2 vault (DESTINATIONTYPE_B2) with the new key. A failure removes what was made, newest first.
import { randomBytes } from 'node:crypto';
import { DESTINATIONTYPE } from '../../comet/constants';
import { CauseError } from '../../errors';
import { apiMessageWithEnglish } from '../../i18n/api-messages';
import { log } from '../../log';
import { b2Authorize, b2Call } from './b2-api';
import type { ProvisionContext, Provisioned } from './provisioned';
import type { Json } from './template-secrets';

/** What a vault's key may do: its own files, nothing account-wide but seeing its bucket. */
const B2_VAULT_CAPABILITIES = ['listBuckets', 'listFiles', 'readFiles', 'writeFiles', 'deleteFiles'];

export async function provisionB2(t: Json, ctx: ProvisionContext): Promise<Provisioned> {
  const b2 = (t.B2 ?? {}) as Json;
  const session = await b2Authorize(String(b2.APIEndpoint ?? ''), String(b2.KeyID ?? ''), String(b2.AppKey ?? ''));
  const id = randomBytes(8).toString('hex');
  const undo: Array<{ what: string; run: () => Promise<unknown> }> = [];
  const undoAll = async () => {
    for (const step of [...undo].reverse()) {
      await step.run().catch((err) => log.error({ err, step: step.what }, 'could not remove part of a provisioned B2 storage vault'));
    }
  };
  try {
    let bucketName: string;
    let bucketId: string;
    let prefix = '';
    const master = String(b2.MasterBucket ?? '').trim();
    if (master) {
      const listed = await b2Call(session, 'b2_list_buckets', { accountId: session.accountId, bucketName: master });
      const found = ((listed.buckets ?? []) as Json[]).find((b) => b.bucketName === master);
      if (!found) throw new CauseError(apiMessageWithEnglish('b2BucketNotFoundWithKey', { bucket: master.slice(0, 100) }, `B2 bucket '${master.slice(0, 100)}' was not found with the template's key`));
      bucketName = master;
      bucketId = String(found.bucketId);
      prefix = `${id}/`;
    } else {
      const made = await b2Call(session, 'b2_create_bucket', { accountId: session.accountId, bucketName: `halley-${id}`, bucketType: 'allPrivate' });
      bucketName = String(made.bucketName);
      bucketId = String(made.bucketId);
      undo.push({ what: 'B2 bucket', run: () => b2Call(session, 'b2_delete_bucket', { accountId: session.accountId, bucketId }) });
    }
    const keyName = `halley-${ctx.username.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 60)}-${id}`;
    const key = await b2Call(session, 'b2_create_key', {
      accountId: session.accountId,
      capabilities: B2_VAULT_CAPABILITIES,
      keyName,
      bucketId,
      ...(prefix ? { namePrefix: prefix } : {}),
    });
    if (!key.applicationKeyId || !key.applicationKey) throw new CauseError(apiMessageWithEnglish('serviceCallAnsweredWithout', { service: 'B2', call: 'b2_create_key', fields: 'applicationKeyId, applicationKey' }, 'B2 b2_create_key answered without applicationKeyId and applicationKey'));
    undo.push({ what: 'B2 application key', run: () => b2Call(session, 'b2_delete_key', { applicationKeyId: key.applicationKeyId }) });
    return {
      location: {
        DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_B2,
        B2: { AccountID: String(key.applicationKeyId), Key: String(key.applicationKey), Bucket: bucketName, Prefix: prefix, MaxConnections: 0, HideDeletedFiles: b2.HideDeletedFiles === true },
      },
      undo: undoAll,
    };
  } catch (err) {
    await undoAll();
    throw err;
  }
}
