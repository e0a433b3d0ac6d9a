// A "b2" Storage Template as a Constellation target, reached as its vaults are made (provision-b2.ts): B2's native
// API with the template's master key. Without MasterBucket each vault has its own bucket halley-<vault id>; with it,
// a prefix <vault id>/ in that bucket. Bucket ids: b2:<bucket> and b2:<bucket>/<vault id>. Removing one deletes
// every file version under it (then the bucket itself), and the application key the template made for that vault
// (named halley-<username>-<vault id>, restricted to that bucket and prefix); a key restricted to anything else is
// kept and the report says so.
import { CauseError } from '../errors';
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';
import { b2Authorize, b2Call } from '../storage/templates/b2-api';
import type { TTargetView } from './targets';

export type TB2Target = { kind: 'b2'; key: string; name: string; address: string; api: string; keyId: string; appKey: string; master: string };

const VAULT_ID = /^[0-9a-f]{16}$/;
type TSession = Awaited<ReturnType<typeof b2Authorize>>;

async function bucketIdOf(s: TSession, name: string): Promise<string | null> {
  const listed = await b2Call(s, 'b2_list_buckets', { accountId: s.accountId, bucketName: name });
  const found = ((listed.buckets ?? []) as Array<{ bucketName: string; bucketId: string }>).find((b) => b.bucketName === name);
  return found ? String(found.bucketId) : null;
}

export async function readB2(target: TB2Target, view: TTargetView): Promise<void> {
  const s = await b2Authorize(target.api, target.keyId, target.appKey);
  if (target.master) {
    const bucketId = await bucketIdOf(s, target.master);
    if (!bucketId) throw new CauseError(apiMessageWithEnglish('b2BucketNotFoundWithKey', { bucket: target.master.slice(0, 100) }, `B2 bucket ${target.master} was not found with the template's key`));
    let start: string | null = null;
    for (let page = 0; page < 100_000; page++) {
      const answer = await b2Call(s, 'b2_list_file_names', { bucketId, prefix: '', delimiter: '/', maxFileCount: 1000, ...(start ? { startFileName: start } : {}) });
      for (const f of (answer.files ?? []) as Array<{ fileName: string; action: string }>) {
        const sub = String(f.fileName).replace(/\/$/, '');
        if (f.action === 'folder' && VAULT_ID.test(sub)) view.buckets.set(`b2:${target.master}/${sub}`, 0);
      }
      start = answer.nextFileName ?? null;
      if (!start) break;
    }
    return;
  }
  const listed = await b2Call(s, 'b2_list_buckets', { accountId: s.accountId });
  for (const b of (listed.buckets ?? []) as Array<{ bucketName: string }>) {
    const name = String(b.bucketName);
    if (name.startsWith('halley-') && VAULT_ID.test(name.slice('halley-'.length))) view.buckets.set(`b2:${name}`, 0);
  }
}

export async function removeFromB2(target: TB2Target, bucketKey: string): Promise<ApiMessage[]> {
  const rest = bucketKey.slice('b2:'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const sub = slash < 0 ? '' : rest.slice(slash + 1);
  const s = await b2Authorize(target.api, target.keyId, target.appKey);
  const bucketId = await bucketIdOf(s, bucket);
  let files = 0;
  if (bucketId) {
    // Every version (B2 keeps hidden and older versions), a page at a time until nothing is left.
    for (;;) {
      const page = await b2Call(s, 'b2_list_file_versions', { bucketId, maxFileCount: 1000, ...(sub ? { prefix: `${sub}/` } : {}) });
      const versions = (page.files ?? []) as Array<{ fileName: string; fileId: string }>;
      if (versions.length === 0) break;
      for (const v of versions) await b2Call(s, 'b2_delete_file_version', { fileName: v.fileName, fileId: v.fileId });
      files += versions.length;
    }
    if (!sub) await b2Call(s, 'b2_delete_bucket', { accountId: s.accountId, bucketId });
  }
  const id = sub || bucket.slice(bucket.lastIndexOf('-') + 1);
  const notes = files ? [apiMessage('constellationNoteB2Files', { count: files })] : [];
  if (!VAULT_ID.test(id)) return notes;
  const keys: Array<{ applicationKeyId: string; keyName: string; bucketId?: string | null; namePrefix?: string | null }> = [];
  let start: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const answer = await b2Call(s, 'b2_list_keys', { accountId: s.accountId, maxKeyCount: 1000, ...(start ? { startApplicationKeyId: start } : {}) });
    keys.push(...((answer.keys ?? []) as typeof keys));
    start = answer.nextApplicationKeyId ?? null;
    if (!start) break;
  }
  const mine = keys.filter((k) => String(k.keyName).startsWith('halley-') && String(k.keyName).endsWith(`-${id}`));
  if (mine.length === 0) notes.push(apiMessage('constellationNoteB2NoKey'));
  for (const k of mine) {
    const sameBucket = !bucketId || k.bucketId === bucketId;
    const samePrefix = sub ? k.namePrefix === `${sub}/` : !k.namePrefix;
    if (!sameBucket || !samePrefix) {
      notes.push(apiMessage('constellationNoteB2KeyKept', { name: String(k.keyName), scope: sub ? 'prefix' : 'bucket' }));
      continue;
    }
    try {
      await b2Call(s, 'b2_delete_key', { applicationKeyId: k.applicationKeyId });
    } catch (err) {
      // Gone meanwhile is removed; anything else leaves the removal pending for the next sweep.
      if (!/\(HTTP 400\).*does not exist/i.test((err as Error).message)) throw err;
    }
    notes.push(apiMessage('constellationNoteB2KeyDeleted', { name: String(k.keyName) }));
  }
  return notes;
}
