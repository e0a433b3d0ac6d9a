// Provisioning by template type (template-types.ts lists them): comet, s3 (per-vault IAM credentials when
// it has an IAMEndpoint, else the template's own), custom, the IAM-style aws / wasabi / idrivee2, and b2.
import { BadRequestError } from '../../errors';
import { provisionB2 } from './provision-b2';
import { provisionComet } from './provision-comet';
import { provisionCustom } from './provision-custom';
import { provisionIam } from './provision-iam';
import { provisionS3 } from './provision-s3';
import type { ProvisionContext, Provisioned } from './provisioned';
import { usesIam } from './iam-settings';
import type { Json } from './template-secrets';
import { apiMessage } from '../../i18n/api-messages';

export function provisionVault(t: Json, ctx: ProvisionContext): Promise<Provisioned> {
  switch (t.Type) {
    case 'comet':
      return provisionComet(t, ctx);
    case 's3':
      return usesIam(t) ? provisionIam(t, ctx) : provisionS3(t, ctx);
    case 'aws':
    case 'wasabi':
    case 'idrivee2':
      return provisionIam(t, ctx);
    case 'b2':
      return provisionB2(t, ctx);
    case 'custom':
      return provisionCustom(t, ctx);
    default:
      throw new BadRequestError(apiMessage('templateTypeNotProvisionable', { type: String(t.Type).slice(0, 40) }));
  }
}
