// ExternalAuthenticationSource in and out: validation, secrets split off and sealed, secrets blanked
// on the way out, and "empty secret = keep the stored one" on the way in (a get → change → set round
// trip never loses the LDAP bind password).
import { BadRequestError } from '../errors';
import { sealJson, unsealJson } from '../secrets';
import { shapeWire } from '../profile/mapper';
import type { AdminActor } from '../tenancy/actor';
import { apiMessage } from '../i18n/api-messages';

type Json = Record<string, unknown>;

/** Secret fields, as paths into the source. */
const SECRET_PATHS: ReadonlyArray<readonly [string] | readonly [string, string]> = [['Password'], ['LDAP', 'BindPassword'], ['OIDC', 'ClientSecret']];
const TYPES = new Set(['ldap', 'oidc']);
const SECURITY_METHODS = new Set(['', 'plain', 'ldaps', 'starttls']);

type SourceSecrets = Record<string, string>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function getPath(obj: Json, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) cur = isObject(cur) ? cur[key] : undefined;
  return cur;
}

function setPath(obj: Json, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    if (!isObject(cur[key])) cur[key] = {};
    cur = cur[key] as Json;
  }
  cur[path[path.length - 1]] = value;
}

function validateServer(server: unknown, where: string): void {
  if (!isObject(server)) throw new BadRequestError(apiMessage('fieldNotObject', { field: where }));
  if (typeof server.Hostname !== 'string' || server.Hostname.trim() === '') throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.Hostname` }));
  const port = server.Port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new BadRequestError(apiMessage('fieldPortRange', { field: `${where}.Port` }));
  const method = server.SecurityMethod ?? '';
  if (typeof method !== 'string' || !SECURITY_METHODS.has(method)) {
    throw new BadRequestError(apiMessage('ldapSecurityInvalid', { where }));
  }
}

/** Checks a source the caller sent (already validated against the wire type). */
export function validateSource(source: Json, where = 'Source'): void {
  const type = source.Type;
  if (typeof type !== 'string' || !TYPES.has(type)) throw new BadRequestError(apiMessage('authSourceTypeInvalid', { where }));
  if (type === 'ldap') {
    const ldap = source.LDAP;
    validateServer(ldap, `${where}.LDAP`);
    const fallbacks = (ldap as Json).FallbackServers;
    if (fallbacks !== undefined && fallbacks !== null) {
      if (!Array.isArray(fallbacks)) throw new BadRequestError(apiMessage('ldapFallbacksNotList', { where }));
      fallbacks.forEach((s, i) => validateServer(s, `${where}.LDAP.FallbackServers[${i}]`));
    }
    if (typeof (ldap as Json).SearchDN !== 'string' || ((ldap as Json).SearchDN as string).trim() === '') {
      throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.LDAP.SearchDN` }));
    }
  }
}

/**
 * A tenant admin can't hand LDAP-created admins more than it holds itself: Allow* flags it lacks are
 * dropped and its own Prevent… / Deny… flags are kept. Top-level admins set what they like.
 */
export function clampNewUserPermissions(actor: AdminActor, permissions: unknown): Json {
  const wanted: Json = isObject(permissions) ? { ...permissions } : {};
  if (actor.isTopLevel) return wanted;
  for (const [key, value] of Object.entries(wanted)) {
    if (key.startsWith('Allow') && value === true && actor.permissions[key] !== true) delete wanted[key];
  }
  for (const [key, value] of Object.entries(actor.permissions)) {
    if ((key.startsWith('Prevent') || key.startsWith('Deny')) && value === true) wanted[key] = true;
  }
  return wanted;
}

/** Splits the secrets off; empty incoming secrets take the stored value. */
export function splitSecrets(source: Json, stored: SourceSecrets | null): { data: Json; secrets: SourceSecrets } {
  const data = structuredClone(source);
  const secrets: SourceSecrets = {};
  for (const path of SECRET_PATHS) {
    const key = path.join('.');
    const incoming = getPath(data, path);
    const value = typeof incoming === 'string' && incoming !== '' ? incoming : (stored?.[key] ?? '');
    if (value !== '') secrets[key] = value;
    if (incoming !== undefined || value !== '') setPath(data, path, '');
  }
  return { data, secrets };
}

export function sealSecrets(secrets: SourceSecrets): string | null {
  return Object.keys(secrets).length ? sealJson(secrets) : null;
}

export function unsealSecrets(sealed: string | null): SourceSecrets {
  return unsealJson<SourceSecrets>(sealed) ?? {};
}

/** The wire shape, secrets blank. */
export function sourceToWire(data: unknown): Json {
  return shapeWire('ExternalAuthenticationSource', data) as Json;
}

/** The stored source with its secrets put back, for the sign-in code only. */
export function sourceWithSecrets(data: unknown, sealed: string | null): Json {
  const full = structuredClone(isObject(data) ? data : {});
  for (const [key, value] of Object.entries(unsealSecrets(sealed))) setPath(full, key.split('.'), value);
  return full;
}
