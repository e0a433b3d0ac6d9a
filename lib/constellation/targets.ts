// The targets of one organization's Constellation, in Comet's server-index order: this server (index 0), then
// each of ConstellationRoleOptions.Servers (other Halley or Comet servers, through their admin API with the
// credentials given), then the organization's Storage Templates whose storage can be listed (S3-compatible
// buckets or per-vault prefixes; "comet" templates on another server). Reading a target gives the buckets it
// holds and, for servers, the vault references of its users. A target that does not answer makes the run
// partial (nothing is deleted); its error is kept for the report. Template storage is reached the way the
// template's vaults are: s3 and the IAM-style types (aws, wasabi, idrivee2, s3 with an IAMEndpoint) over S3 with
// templateS3Access(template); b2 over B2's native API (as provision-b2.ts makes its vaults). Removing a bucket
// a template made also removes the credentials the template made for that vault (template-credentials.ts).
import { DeleteBucketCommand, DeleteObjectsCommand, ListBucketsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DESTINATIONTYPE } from '../comet/constants';
import { db } from '../db/client';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';
import { allowPrivateTargets } from '../net/private-targets';
import { RemoteApiError } from '../storage/guarded-request';
import { guardedS3Client, s3EndpointUrl } from '../storage/s3-client';
import { iamSettings, usesIam } from '../storage/templates/iam-settings';
import { templateS3Access } from '../storage/templates/template-s3-access';
import { openTemplate, type Json } from '../storage/templates/template-secrets';
import type { TConstellationRoleOptions } from './config-store';
import { remoteApi, type TRemoteCreds } from './remote-api';
import { readB2, removeFromB2, type TB2Target } from './b2-target';
import { removeIamVaultUser, type TIamAccess } from './template-credentials';

const LOCAL_TARGET_KEY = 'local';

/** withUsers: a Servers entry is also a source of users; a "comet" Storage Template gives storage only. */
type TServerTarget = { kind: 'server'; key: string; name: string; address: string; creds: TRemoteCreds; withUsers: boolean };
/** access: the template's master credentials on its S3 API; iam: where the template made per-vault IAM users (or null). */
type TS3Access = { endpoint: string; region: string; accessKey: string; secretKey: string };
type TS3Target = { kind: 's3'; key: string; name: string; address: string; access: TS3Access; host: string; master: string; prefix: string; base: string; iam: TIamAccess | null };
/**
 * `name`: the target's name in English (logs, reports stored before nameKey); `nameKey`: the same name as a catalogue
 * message, for the names Halley gives (this server, a Storage Template), read in the reader's language. A listed
 * server's name is its Description (the admin's own words) and has none.
 */
export type TTarget = ({ kind: 'local'; key: string; name: string; address: string } | TServerTarget | TS3Target | TB2Target) & { nameKey?: ApiMessage };

/** The target's name as a message value: its catalogue message when Halley named it, else its stored name. */
export function targetName(target: TTarget): ApiMessage | string {
  return target.nameKey ?? target.name;
}

/** A name Halley gives a target: its English `name` and its catalogue message. */
function named(message: ApiMessage): { name: string; nameKey: ApiMessage } {
  return { name: message.text, nameKey: message };
}

function templateName(description: unknown, templateId: string): { name: string; nameKey: ApiMessage } {
  return named(apiMessage('constellationTargetTemplate', { description: String(description ?? templateId) }));
}

/** What one target holds: bucket id -> creation time (Unix s, 0 unknown); bucket id -> usernames of its users' vaults. */
export type TTargetView = {
  target: TTarget;
  index: number;
  ok: boolean;
  /** Why the target could not be read, as a catalogue message (answered in the reader's language); `error` is its English. */
  errorMessage?: ApiMessage;
  error: string;
  buckets: Map<string, number>;
  refs: Map<string, Set<string>>;
  users: number;
  /** Whether the target's own Constellation also sees its buckets ('unknown' when it could not be asked). */
  ownConstellation: 'no' | 'yes' | 'unknown';
};

/** The bucket ids (Comet bucket id, s3:<host>/<bucket>[/<subdir>], b2:<bucket>[/<prefix>]) a vault's destination points at. */
function vaultBucketKeys(dest: Json): string[] {
  const type = Number(dest?.DestinationType ?? 0);
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_COMET && typeof dest.CometBucket === 'string' && dest.CometBucket) return [dest.CometBucket];
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_S3 && dest.S3BucketName) {
    const whole = canonicalBucketKey(`s3:${String(dest.S3Server ?? '').toLowerCase()}/${String(dest.S3BucketName)}`);
    const sub = String(dest.S3Subdir ?? '').replace(/^\/+|\/+$/g, '');
    return sub ? [innerKey(whole), `${whole}/${sub}`] : [whole];
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_B2 && dest.B2?.Bucket) {
    const whole = `b2:${String(dest.B2.Bucket)}`;
    const sub = String(dest.B2.Prefix ?? '').replace(/^\/+|\/+$/g, '');
    return sub ? [innerKey(whole), `${whole}/${sub}`] : [whole];
  }
  return [];
}

/**
 * A provider bucket key in its one form. B2 reached through its S3-compatible endpoint (s3.<region>.backblazeb2.com)
 * is the very bucket B2's own API names (B2 bucket names are unique across B2), so an S3 key there becomes the B2
 * key: a vault on either API keeps the bucket whichever API the template lists it with.
 */
export function canonicalBucketKey(key: string): string {
  if (!key.startsWith('s3:')) return key;
  const slash = key.indexOf('/', 3);
  if (slash < 0) return key;
  const hostPort = key.slice(3, slash);
  const colon = hostPort.lastIndexOf(':');
  const host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
  const b2 = host === 'backblazeb2.com' || host.endsWith('.backblazeb2.com');
  return b2 && key.length > slash + 1 ? `b2:${key.slice(slash + 1)}` : key;
}

/** Bucket ids that name template storage (S3 or B2), not a Comet bucket. */
export function isProviderBucket(id: string): boolean {
  return id.startsWith('s3:') || id.startsWith('b2:');
}

/**
 * The reference key of a vault that lives in a prefix of `whole`: it keeps the whole bucket (which holds its
 * data) but not the bucket's other prefixes, which a vault on the whole bucket (key `whole`) would.
 */
export function innerKey(whole: string): string {
  return `${whole}#inner`;
}

/**
 * The reference keys that keep `bucketId`: itself (in its one form, canonicalBucketKey), and for an S3 prefix its whole
 * bucket (a vault on the whole bucket keeps every prefix in it).
 */
export function keepersOf(bucketId: string): string[] {
  const id = canonicalBucketKey(bucketId);
  const m = /^(s3:[^/]+\/[^/]+|b2:[^/]+)\/.+$/.exec(id);
  if (m) return [id, m[1]];
  return isProviderBucket(id) ? [id, innerKey(id)] : [id];
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
  const targets: TTarget[] = [{ kind: 'local', key: LOCAL_TARGET_KEY, ...named(apiMessage('constellationTargetLocal')), address: '' }];
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
      targets.push({ kind: 'server', key, ...templateName(t.Description, row.templateId), address, creds: { address, username: String(t.Username ?? ''), password: String(t.Password ?? '') }, withUsers: false });
    } else if (t.Type === 'b2') {
      const b2 = (t.B2 ?? {}) as Json;
      const api = String(b2.APIEndpoint ?? '').trim().replace(/\/+$/, '');
      const keyId = String(b2.KeyID ?? '');
      const master = String(b2.MasterBucket ?? '').trim();
      const key = `b2:${originOf(api) || 'default'}|${master}|${keyId}`;
      if (seen.has(key) || !keyId) continue;
      seen.add(key);
      targets.push({ kind: 'b2', key, ...templateName(t.Description, row.templateId), address: `b2://${master || '*'}`, api, keyId, appKey: String(b2.AppKey ?? ''), master });
    } else {
      // s3 and the IAM-style types, reached over S3 with the template's master credentials (as the vaults are made).
      const access = await templateS3Access(t).catch(() => null);
      if (!access || !access.endpoint || !access.accessKey) continue;
      let host: string;
      try {
        host = s3EndpointUrl(access.endpoint).host.toLowerCase();
      } catch {
        continue;
      }
      const master = access.bucket;
      const prefix = access.prefix.replace(/^\/+|\/+$/g, '');
      const base = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 40) || 'halley';
      const key = `s3:${host}/${master}|${master ? prefix : base}|${access.accessKey}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const s = usesIam(t) ? iamSettings(t) : null;
      const iam = s && s.iamEndpoint ? { endpoint: s.iamEndpoint, region: s.region, accessKey: s.accessKey, secretKey: s.secretKey } : null;
      targets.push({ kind: 's3', key, ...templateName(t.Description, row.templateId), address: `s3://${host}/${master}`, access, host, master, prefix, base, iam });
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
    else if (target.kind === 'b2') await readB2(target, view);
  } catch (err) {
    view.ok = false;
    view.errorMessage = failureCause(err);
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
    if (!(err instanceof RemoteApiError)) throw err;
    view.ownConstellation = 'unknown';
  }
}

/** The 16 hex digits a template gives each vault (its bucket's suffix or its prefix's last part). */
const VAULT_ID = /^[0-9a-f]{16}$/;

/** An S3 client with the template's own (master) credentials, through the outbound guard. */
async function s3ClientFor(access: TS3Access): Promise<S3Client> {
  return guardedS3Client({ endpoint: access.endpoint, region: access.region, accessKey: access.accessKey, secretKey: access.secretKey, allowPrivate: await allowPrivateTargets() });
}

async function readS3(target: TS3Target, view: TTargetView): Promise<void> {
  const client = await s3ClientFor(target.access);
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

/**
 * Removes a bucket from one remote target (a bucket already gone counts as removed), and the credentials a
 * template made for that vault. Answers notes for the report (what else was removed, or kept and why).
 */
export async function removeFromTarget(target: TTarget, bucketId: string): Promise<ApiMessage[]> {
  if (target.kind === 'server') {
    try {
      await remoteApi(target.creds, '/api/v1/admin/storage/delete-bucket', { BucketID: bucketId });
    } catch (err) {
      if (err instanceof RemoteApiError && (err.status === 404 || /not found/i.test(err.message))) return [];
      throw err;
    }
    return [];
  }
  if (target.kind === 'b2') return removeFromB2(target, bucketId);
  if (target.kind !== 's3') return [];
  const rest = bucketId.slice(`s3:${target.host}/`.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : `${rest.slice(slash + 1)}/`;
  const client = await s3ClientFor(target.access);
  try {
    await emptyPrefix(client, bucket, prefix);
    if (!prefix) await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch((err: { name?: string }) => {
      if (err?.name !== 'NoSuchBucket') throw err;
    });
  } finally {
    client.destroy();
  }
  if (!target.iam) return [];
  const sub = prefix.replace(/\/$/, '');
  const id = sub ? sub.slice(sub.lastIndexOf('/') + 1) : bucket.slice(bucket.lastIndexOf('-') + 1);
  if (!VAULT_ID.test(id)) return [];
  return removeIamVaultUser(target.iam, id, bucket, sub);
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
