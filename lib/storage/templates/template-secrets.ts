// A Storage Template (RemoteStorageOption) split into what may be shown and what is sealed: every
// credential field (Password, SecretKey, ... by lib/profile/mapper.ts's rule) and the values of the
// custom provisioner's CustomHeaders (they usually carry an API token), and B2.AppKey (B2's application
// key, whose name the general rule does not catch). Shown templates carry "" there;
// saving "" keeps the stored value.
import { keepStoredSecrets, mergeSecrets, splitSecrets } from '../../profile/mapper';
import { sealJson, unsealJson } from '../../secrets';

export type Json = Record<string, any>;

export function splitTemplate(option: Json): { public: Json; secrets: Json | null } {
  const { public: pub, secrets } = splitSecrets(option);
  const out: Json = { ...(secrets ?? {}) };
  const headers = (pub as Json).Custom?.CustomHeaders as Record<string, string> | undefined;
  if (headers && typeof headers === 'object') {
    const hidden: Record<string, string> = {};
    const blank: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (typeof v === 'string' && v !== '') hidden[k] = v;
      blank[k] = '';
    }
    (pub as Json).Custom = { ...(pub as Json).Custom, CustomHeaders: blank };
    if (Object.keys(hidden).length) out.Custom = { ...(out.Custom ?? {}), CustomHeaders: hidden };
  }
  const b2 = (pub as Json).B2 as Json | undefined;
  if (b2 && typeof b2 === 'object' && typeof b2.AppKey === 'string') {
    if (b2.AppKey !== '') out.B2 = { ...(out.B2 ?? {}), AppKey: b2.AppKey };
    (pub as Json).B2 = { ...b2, AppKey: '' };
  }
  return { public: pub as Json, secrets: Object.keys(out).length ? out : null };
}

/** The incoming template's secrets with "" filled from the stored ones (same template ID), sealed. */
export function sealTemplateSecrets(incoming: Json | null, storedSealed: string | null | undefined, incomingPublic: Json): string | null {
  const merged = keepStoredSecrets(incoming, unsealJson<Json>(storedSealed), incomingPublic);
  return merged ? sealJson(merged) : null;
}

/** The full template (credentials included), for provisioning only. */
export function openTemplate(row: { data: unknown; secrets: string | null }): Json {
  return mergeSecrets(row.data as Json, unsealJson<Json>(row.secrets));
}
