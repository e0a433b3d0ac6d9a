import type { Actor } from '../../tenancy/actor';
import type { Json } from './template-secrets';

/** What a provisioner made: the vault's DestinationLocation fields, and how to remove it again. */
export type Provisioned = { location: Json; undo: () => Promise<void> };

export type ProvisionContext = { actor: Actor; tenantId: string; username: string; selfAddress: string };
