// admin/meta/build-config/get|set: Comet's SoftwareBuildRole options. Halley's client packages are the
// reference agent (admin/branding/generate-client/*); these options are stored and round-trip unchanged,
// unknown fields included. They are server-wide, so a tenant's admin neither reads nor changes them.
import { db, type Tx } from '../db/client';
import { BadRequestError, ForbiddenError } from '../errors';
import { log } from '../log';
import { readServerSetting, writeServerSetting } from '../settings/server-settings';
import type { AdminActor } from '../tenancy/actor';
import { apiMessage } from '../i18n/api-messages';

const KEY = 'software-build-role';
const DEFAULTS = { RoleEnabled: true, AllowUnauthenticatedDownloads: false, MaxBuilders: 0 };

function requireTopLevel(actor: AdminActor): void {
  if (!actor.isTopLevel) throw new ForbiddenError(apiMessage('buildRoleTopLevelOnly'));
}

export async function getBuildRoleConfig({ actor }: { actor: AdminActor }) {
  requireTopLevel(actor);
  const stored = await readServerSetting<Record<string, unknown>>(KEY, {}, { maxAgeMs: 0 });
  return { SoftwareBuildRole: { ...DEFAULTS, ...stored } };
}

/** Whether client packages are built here (meta/version SoftwareBuildRole). */
export async function buildRoleEnabled(): Promise<boolean> {
  const stored = await readServerSetting<Record<string, unknown>>(KEY, {});
  return stored.RoleEnabled !== false;
}

export async function setBuildRoleConfig({ actor, options }: { actor: AdminActor; options: Record<string, unknown> }) {
  checkBuildRoleConfig(actor, options);
  await db().$transaction((tx) => writeBuildRoleConfig(tx, options));
  // Comet has no event type for server configuration changes; the log records who changed it.
  log.info({ admin: actor.username, section: 'SoftwareBuildRole' }, 'server configuration changed');
  return { Status: 200, Message: 'OK' };
}

/** Refuses what set would refuse, without writing (server-config/set checks every part first). */
export function checkBuildRoleConfig(actor: AdminActor, options: Record<string, unknown>): void {
  requireTopLevel(actor);
  for (const [field, kind] of [['RoleEnabled', 'boolean'], ['AllowUnauthenticatedDownloads', 'boolean'], ['MaxBuilders', 'number']] as const) {
    if (options[field] !== undefined && typeof options[field] !== kind) throw new BadRequestError(apiMessage('fieldWrongType', { field: `SoftwareBuildRoleConfig.${field}`, kind }));
  }
  if (options.MaxBuilders !== undefined && (!Number.isInteger(options.MaxBuilders) || (options.MaxBuilders as number) < 0)) {
    throw new BadRequestError(apiMessage('maxBuildersInvalid'));
  }
}

export async function writeBuildRoleConfig(tx: Tx, options: Record<string, unknown>): Promise<void> {
  await writeServerSetting(tx, KEY, options);
}
