// The per-vault IAM credentials an IAM-style Storage Template (aws, wasabi, idrivee2, s3 with an IAMEndpoint)
// made, removed when Constellation deletes that vault's bucket or prefix. provision-iam.ts names the vault's IAM
// user halley-<username>-<vault id> under Path /halley/, gives it one inline policy (POLICY_NAME) on the vault's
// bucket or prefix and one access key; its undo removes them newest first (key, policy, user), and so does this.
// A user whose policy names other storage is kept (and the report says so): only the vault's own user goes.
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { iamCall } from '../storage/templates/iam-api';
import { POLICY_NAME } from '../storage/templates/provision-iam';
import { withDefaultScheme } from '../validation/url-parts';

export type TIamAccess = { endpoint: string; region: string; accessKey: string; secretKey: string };

function allValues(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"));
  return out;
}

const codeOf = (err: unknown) => String((err as { code?: string })?.code ?? '');

/** Every IAM call answers pages (IsTruncated + Marker): all of one list. */
async function listAll(iam: TIamAccess, action: string, params: Record<string, string>, tag: string): Promise<string[]> {
  const out: string[] = [];
  let marker = '';
  for (let page = 0; page < 1000; page++) {
    const xml = await iamCall(iam, action, { ...params, ...(marker ? { Marker: marker } : {}) });
    out.push(...allValues(xml, tag));
    marker = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? (allValues(xml, 'Marker')[0] ?? '') : '';
    if (!marker) break;
  }
  return out;
}

/** Does the vault policy name exactly this storage (the bucket, or the prefix in it)? */
function policyNames(doc: string, bucket: string, sub: string): boolean {
  let text = doc;
  try {
    text = decodeURIComponent(doc);
  } catch {
    // not URL-encoded
  }
  try {
    const resources = new Set<string>();
    for (const st of (JSON.parse(text).Statement ?? []) as Array<{ Resource?: string | string[] }>) for (const r of [st.Resource ?? []].flat()) resources.add(r);
    const arn = `arn:aws:s3:::${bucket}`;
    return sub ? resources.has(`${arn}/${sub}/*`) : resources.has(`${arn}/*`);
  } catch {
    return false;
  }
}

/**
 * Removes the IAM user (its access keys, inline policies, then the user) the template made for vault `id`, whose
 * storage was `bucket` (and `sub` in it). Answers notes for the report; an IAM failure throws (the removal stays
 * pending and the next sweep tries again; everything here is idempotent).
 */
export async function removeIamVaultUser(iam: TIamAccess, id: string, bucket: string, sub: string): Promise<ApiMessage[]> {
  const where = (() => {
    try {
      return new URL(withDefaultScheme(iam.endpoint, 'https')).host;
    } catch {
      return iam.endpoint;
    }
  })();
  const users = (await listAll(iam, 'ListUsers', { PathPrefix: '/halley/' }, 'UserName')).filter((u) => u.startsWith('halley-') && u.endsWith(`-${id}`));
  if (users.length === 0) return [apiMessage('constellationNoteIamNoUser', { where })];
  const notes: ApiMessage[] = [];
  for (const user of users) {
    let policy: string | null = null;
    try {
      policy = allValues(await iamCall(iam, 'GetUserPolicy', { UserName: user, PolicyName: POLICY_NAME }), 'PolicyDocument')[0] ?? '';
    } catch (err) {
      // A user whose policy is already gone is what an interrupted removal of this vault leaves.
      if (codeOf(err) !== 'NoSuchEntity') throw err;
    }
    if (policy !== null && !policyNames(policy, bucket, sub)) {
      notes.push(apiMessage('constellationNoteIamKept', { user, where, scope: sub ? 'prefix' : 'bucket' }));
      continue;
    }
    const keys = await listAll(iam, 'ListAccessKeys', { UserName: user }, 'AccessKeyId');
    for (const key of keys) await iamCall(iam, 'DeleteAccessKey', { UserName: user, AccessKeyId: key }).catch(ignoreGone);
    const policies = await listAll(iam, 'ListUserPolicies', { UserName: user }, 'member');
    for (const name of policies) await iamCall(iam, 'DeleteUserPolicy', { UserName: user, PolicyName: name }).catch(ignoreGone);
    await iamCall(iam, 'DeleteUser', { UserName: user }).catch(ignoreGone);
    notes.push(apiMessage('constellationNoteIamDeleted', { user, where, keys: keys.length, policies: policies.length }));
  }
  return notes;
}

function ignoreGone(err: unknown): void {
  if (codeOf(err) !== 'NoSuchEntity') throw err;
}
