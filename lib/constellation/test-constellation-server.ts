// admin/halley/constellation/test-server (Halley extension): tries one Constellation target server before (or after)
// it is saved: the remote server's admin/storage/list-buckets with the credentials given, through the outbound guard
// (as every run reads it). An empty Password uses the stored one of the same address and user, so a saved server can
// be tested without its password. The same checks as config/set apply to the address and fields.
import { BadRequestError } from '../errors';
import { apiMessage, causeOf } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { loadConstellationConfig } from './config-store';
import { remoteApi } from './remote-api';
import { checkServer } from './set-constellation-config';

type TServerTest = { Address: string; Buckets: number };

export async function testConstellationServer({ actor, server }: { actor: AdminActor; server: unknown }): Promise<TServerTest> {
  requirePermission(actor, 'constellation.role');
  const { tenantId } = ownTenantWhere(actor);
  const stored = (await loadConstellationConfig(tenantId)).Servers;
  const clean = await checkServer(server, 'RemoteServer', stored);
  const address = String(clean.RemoteAddress);
  let answer: Record<string, unknown>;
  try {
    answer = (await remoteApi({ address, username: String(clean.Username), password: String(clean.Password) }, '/api/v1/admin/storage/list-buckets')) ?? {};
  } catch (err) {
    throw new BadRequestError(apiMessage('constellationTestServerFailed', { address: address.slice(0, 200), cause: causeOf(err as Error) }));
  }
  const buckets = Object.entries(answer).filter(([k, v]) => k !== 'Status' && k !== 'Message' && typeof v === 'object' && v !== null).length;
  return { Address: address, Buckets: buckets };
}
