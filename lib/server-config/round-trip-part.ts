// The part of ServerConfigOptions Halley keeps as sent (every field it does not apply: AdminUsers,
// ListenAddresses, License, ExperimentalOptions, StorageRole, ...). Its secrets (passwords, keys, client
// secrets, TOTP keys: any depth) are sealed at rest in their own value and never answered: get shows them as
// "", and a set that sends "" back at the same place keeps the stored one, so a client (or the console's raw
// editor) that reads, edits and writes the document loses nothing.
import { isSecretField, keepStoredSecrets, mergeSecrets } from '../profile/mapper';
import { sealJson, unsealJson } from '../secrets';
import { readServerSetting } from '../settings/server-settings';
import { ROUND_TRIP_SETTING } from './server-config-parts';

type Json = Record<string, unknown>;
type Tree = { [key: string]: string | Tree };
/** Stored form since wave 8; before it the setting held the public document itself (secrets in it). */
type Stored = { v: 2; public: Json; sealed: string | null };

/** Credential fields the profile rule does not name (AllowedAdminUser.TOTPKey, B2's AppKey). */
const isSecret = (name: string, parent: string | undefined) => isSecretField(name, parent) || name === 'TOTPKey' || name === 'AppKey';

function split(v: unknown, parent: string | undefined, found: Tree): unknown {
  if (Array.isArray(v)) {
    return v.map((el, i) => {
      const sub: Tree = {};
      const out = split(el, parent, sub);
      if (Object.keys(sub).length) found[String(i)] = sub;
      return out;
    });
  }
  if (typeof v !== 'object' || v === null) return v;
  const out: Json = {};
  for (const [k, val] of Object.entries(v as Json)) {
    if (typeof val === 'string' && val !== '' && isSecret(k, parent)) {
      found[k] = val;
      out[k] = '';
    } else if (typeof val === 'object' && val !== null) {
      const sub: Tree = {};
      out[k] = split(val, k, sub);
      if (Object.keys(sub).length) found[k] = sub;
    } else {
      out[k] = val;
    }
  }
  return out;
}

function splitSecretsDeep(doc: Json): { public: Json; secrets: Tree | null } {
  const found: Tree = {};
  const pub = split(doc, undefined, found) as Json;
  return { public: pub, secrets: Object.keys(found).length ? found : null };
}

async function readStored(): Promise<{ public: Json; secrets: Tree | null }> {
  const raw = await readServerSetting<Json>(ROUND_TRIP_SETTING, {}, { maxAgeMs: 0 });
  if (raw.v === 2 && typeof raw.public === 'object' && raw.public !== null) {
    const s = raw as unknown as Stored;
    return { public: s.public, secrets: unsealJson<Tree>(s.sealed) };
  }
  return splitSecretsDeep(raw);
}

/** The kept fields as get answers them: secrets "". */
export async function readRoundTripPart(): Promise<Json> {
  return (await readStored()).public;
}

/** What to store for the incoming kept fields: "" secrets filled from the stored ones, all secrets sealed. */
export async function prepareRoundTripPart(incoming: Json): Promise<Stored> {
  const stored = await readStored();
  const next = splitSecretsDeep(incoming);
  const secrets = keepStoredSecrets(next.secrets, stored.secrets, next.public);
  // Secrets kept are those whose object still exists; a merge then split again drops the rest.
  const full = splitSecretsDeep(mergeSecrets(next.public, secrets));
  return { v: 2, public: full.public, sealed: full.secrets ? sealJson(full.secrets) : null };
}
