import { StreamableEventType as SEVT } from '../comet/constants';
import { serverVersionInfo } from '../meta/version';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';

type Json = Record<string, unknown>;

/** The SEVT_META_HELLO body a webhook receives when it is configured (and for a test delivery). */
export async function helloEvent(actor: AdminActor, tenantId: string): Promise<Json> {
  return {
    Actor: actor.username,
    OwnerOrganizationID: wireOrganizationId(tenantId),
    ResourceID: '',
    Type: SEVT.SEVT_META_HELLO,
    Timestamp: Math.floor(Date.now() / 1000),
    TypeString: 'SEVT_META_HELLO',
    Data: await serverVersionInfo(actor),
  };
}
