// The targets of one organization's Constellation, in Comet's server-index order: this server (index 0), then
// each of ConstellationRoleOptions.Servers (other Halley or Comet servers, through their admin API with the
// credentials given), then the organization's Storage Templates whose storage can be listed (S3-compatible
// buckets or per-vault prefixes; "comet" templates on another server). Reading a target gives the buckets it
// holds and, for servers, the vault references of its users. A target that does not answer makes the run
// partial (nothing is deleted); its error is kept for the report.
import { DeleteBucketCommand, DeleteObjectsCommand, ListBucketsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DESTINATIONTYPE } from '../comet/constants';
import { db } from '../db/client';
import { allowPrivateTargets } from '../net/private-targets';
import { guardedS3Client, s3EndpointUrl } from '../storage/s3-client';
import { openTemplate, type Json } from '../storage/templates/template-secrets';
import type { TConstellationRoleOptions } from './config-store';
import { remoteApi, RemoteAnswerError, type TRemoteCreds } from './remote-api';

const LOCAL_TARGET_KEY = 'local';
const LOCAL_TARGET_NAME = 'This server (Storage Role buckets and users)';

/** withUsers: a Servers entry is also a source of users; a "comet" Storage Template gives storage only. */
type TServerTarget = { kind: 'server'; key: string; name: string; address: string; creds: TRemoteCreds; withUsers: boolean };
type TS3Target = { kind: 's3'; key: string; name: string; address: string; s3: Json; host: string; master: string; prefix: string; base: string };
export type TTarget = { kind: 'local'; key: string; name: string; address: string } | TServerTarget | TS3Target;

/** What one target holds: bucket id -> creation time (Unix s, 0 unknown); bucket id -> usernames of its users' vaults. */
export type TTargetView = {
  target: TTarget;
  index: number;
  ok: boolean;
  error: string;
  buckets: Map<string, number>;
  refs: Map<string, Set<string>>;
  users: number;
  /** Whether the target's own Constellation also sees its buckets ('unknown' when it could not be asked). */
  ownConstellation: 'no' | 'yes' | 'unknown';
};

/** The bucket ids (Comet bucket id, or s3:<host>/<bucket>[/<subdir>]) a vault's destination points at. */
function vaultBucketKeys(dest: Json): string[] {
  const type = Number(dest?.DestinationType ?? 0);
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_COMET && typeof dest.CometBucket === 'string' && dest.CometBucket) return [dest.CometBucket];
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_S3 && dest.S3BucketName) {
    const whole = `s3:${String(dest.S3Server ?? '').toLowerCase()}/${String(dest.S3BucketName)}`;
    const sub = String(dest.S3Subdir ?? '').replace(/^\/+|\/+$/g, '');
    return sub ? [innerKey(whole), `${whole}/${sub}`] : [whole];
  }
  return [];
}

/**
 * The reference key of a vault that lives in a prefix of `whole`: it keeps the whole bucket (which holds its
 * data) but not the bucket's other prefixes, which a vault on the whole bucket (key `whole`) would.
 */
export function innerKey(whole: string): string {
  return `${whole}#inner`;
}

/** The ids that keep `bucketId`: itself, and for an S3 prefix its whole bucket (a vault on the whole bucket keeps every prefix in it). */
export function keepersOf(bucketId: string): string[] {
  const m = /^(s3:[^/]+\/[^/]+)\/.+$/.exec(bucketId);
  if (m) return [bucketId, m[1]];
  return bucketId.startsWith('s3:') ? [bucketId, innerKey(bucketId)] : [bucketId];
}

function originOf(address: string): string {
  try {
    return new URL(address).origin.toLowerCase();
  } catch {
    return '';
  }
}

/** The targets of `tenantId`'s Constellation: this server, its Servers, its listable Storage Templates. */
export async function constellationTargets(tenantId: string, config: TConstellationRoleOptions): Promise<TTarget[]> {
  const targets: TTarget[] = [{ kind: 'local', key: LOCAL_TARGET_KEY, name: LOCAL_TARGET_NAME, address: '' }];
  const seen = new Set<string>();
  for (const s of config.Servers) {
    const address = String(s.RemoteAddress ?? '').replace(/\/+$/, '');
    const key = `server:${originOf(address)}${new URL(address).pathname.replace(/\/+$/, '')}|${String(s.Username ?? '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push({ kind: 'server', key, name: String(s.Description || address), address, creds: { address, username: String(s.Username ?? ''), password: String(s.Password ?? '') }, withUsers: true });
  }
  // tenancy: derived — the organization whose Constellation this is (the caller's own, or the job's)
  const templates = await db().storageTemplate.findMany({ where: { tenantId }, orderBy: { position: 'asc' }, select: { templateId: true, data: true, secrets: true } });
  for (const row of templates) {
    const t = openTemplate(row);
    if (t.Type === 'comet' && t.RemoteAddress) {
      const address = String(t.RemoteAddress).replace(/\/+$/, '');
      const key = `server:${originOf(address)}${new URL(address).pathname.replace(/\/+$/, '')}|${String(t.Username ?? '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push({ kind: 'server', key, name: `Storage Template: ${String(t.Description ?? row.templateId)}`, address, creds: { address, username: String(t.Username ?? ''), password: String(t.Password ?? '') }, withUsers: false });
    } else if (t.Type === 's3' && t.S3?.S3Endpoint) {
      // Until the IAM template types land (storage14's templateS3Access), only the plain "s3" type is mapped here.
      const s3 = t.S3 as Json;
      const host = s3EndpointUrl(String(s3.S3Endpoint)).host.toLowerCase();
      const master = String(s3.MasterBucket ?? '');
      const prefix = String(s3.Prefix ?? '').replace(/^\/+|\/+$/g, '');
      const base = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 40) || 'halley';
      const key = `s3:${host}/${master}|${master ? prefix : base}|${String(s3.AccessKey ?? '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push({ kind: 's3', key, name: `Storage Template: ${String(t.Description ?? row.templateId)}`, address: `s3://${host}/${master}`, s3, host, master, prefix, base });
    }
  }
  return targets;
}

/** Reads a remote target (servers and S3 templates; the local one is read in the run's transaction). */
export async function readTarget(target: TTarget, index: number): Promise<TTargetView> {
  const view: TTargetView = { target, index, ok: true, error: '', buckets: new Map(), refs: new Map(), users: 0, ownConstellation: 'no' };
  try {
    if (target.kind === 'server') await readServer(target, view);
    else if (target.kind === 's3') await readS3(target, view);
  } catch (err) {
    view.ok = false;
    view.error = (err as Error).message.slice(0, 500) || 'no answer';
  }
  return view;
}

async function readServer(target: TServerTarget, view: TTargetView): Promise<void> {
  const buckets = (await remoteApi(target.creds, '/api/v1/admin/storage/list-buckets')) as Record<string, Json>;
  for (const [id, props] of Object.entries(buckets ?? {})) {
    if (id === 'Status' || id === 'Message' || typeof props !== 'object' || props === null) continue;
    view.buckets.set(id, Number(props.CreateTime ?? 0) || 0);
  }
  if (target.withUsers) {
    const users = (await remoteApi(target.creds, '/api/v1/admin/list-users-full')) as Record<string, Json>;
    for (const [username, profile] of Object.entries(users ?? {})) {
      if (typeof profile !== 'object' || profile === null) continue;
      view.users++;
      for (const dest of Object.values((profile.Destinations ?? {}) as Record<string, Json>)) {
        for (const id of vaultBucketKeys(dest)) {
          const set = view.refs.get(id) ?? new Set<string>();
          set.add(username);
          view.refs.set(id, set);
        }
      }
    }
  }
  try {
    const own = await remoteApi(target.creds, '/api/v1/admin/meta/constellation/config/get');
    view.ownConstellation = own?.RoleEnabled === true ? 'yes' : 'no';
  } catch (err) {
    // No answer at all is a failed target; an error answer (no such endpoint, no permission) leaves it unknown.
    if (!(err instanceof RemoteAnswerError)) throw err;
    view.ownConstellation = 'unknown';
  }
}

const VAULT_ID = /^[0-9a-f]{16}$/;

/** An S3 client with the template's own (master) credentials, through the outbound guard. */
async function s3ClientFor(s3: Json): Promise<S3Client> {
  return guardedS3Client({ endpoint: String(s3.S3Endpoint ?? ''), region: s3.Region, accessKey: String(s3.AccessKey ?? ''), secretKey: String(s3.SecretKey ?? ''), allowPrivate: await allowPrivateTargets() });
}

async function readS3(target: TS3Target, view: TTargetView): Promise<void> {
  const client = await s3ClientFor(target.s3);
  try {
    if (target.master) {
      const prefix = target.prefix ? `${target.prefix}/` : '';
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: target.master, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
        for (const p of page.CommonPrefixes ?? []) {
          const sub = String(p.Prefix ?? '').slice(prefix.length).replace(/\/$/, '');
          if (VAULT_ID.test(sub)) view.buckets.set(`s3:${target.host}/${target.master}/${prefix}${sub}`, 0);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } else {
      const answer = await client.send(new ListBucketsCommand({}));
      for (const b of answer.Buckets ?? []) {
        const name = String(b.Name ?? '');
        if (name.startsWith(`${target.base}-`) && VAULT_ID.test(name.slice(target.base.length + 1))) {
          // The provider's clock is not this server's: the grace window counts from the Constellation's first sighting.
          view.buckets.set(`s3:${target.host}/${name}`, 0);
        }
      }
    }
  } finally {
    client.destroy();
  }
}

/** Removes a bucket from one remote target (a bucket already gone counts as removed). */
export async function removeFromTarget(target: TTarget, bucketId: string): Promise<void> {
  if (target.kind === 'server') {
    try {
      await remoteApi(target.creds, '/api/v1/admin/storage/delete-bucket', { BucketID: bucketId });
    } catch (err) {
      if (err instanceof RemoteAnswerError && (err.status === 404 || /not found/i.test(err.message))) return;
      throw err;
    }
    return;
  }
  if (target.kind !== 's3') return;
  const rest = bucketId.slice(`s3:${target.host}/`.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : `${rest.slice(slash + 1)}/`;
  const client = await s3ClientFor(target.s3);
  try {
    await emptyPrefix(client, bucket, prefix);
    if (!prefix) await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch((err: { name?: string }) => {
      if (err?.name !== 'NoSuchBucket') throw err;
    });
  } finally {
    client.destroy();
  }
}

async function emptyPrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, MaxKeys: 1000 })).catch((err: { name?: string }) => {
      if (err?.name === 'NoSuchBucket') return { Contents: [] };
      throw err;
    });
    const keys = (page.Contents ?? []).map((o) => ({ Key: String(o.Key) }));
    if (keys.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
  }
}
