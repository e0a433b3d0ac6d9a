// Provisioning by template type (comet, s3, custom; template-types.ts lists them).
import { BadRequestError } from '../../errors';
import { provisionComet } from './provision-comet';
import { provisionCustom } from './provision-custom';
import { provisionS3 } from './provision-s3';
import type { ProvisionContext, Provisioned } from './provisioned';
import type { Json } from './template-secrets';
import { apiMessage } from '../../i18n/api-messages';

export function provisionVault(t: Json, ctx: ProvisionContext): Promise<Provisioned> {
  switch (t.Type) {
    case 'comet':
      return provisionComet(t, ctx);
    case 's3':
      return provisionS3(t, ctx);
    case 'custom':
      return provisionCustom(t, ctx);
    default:
      throw new BadRequestError(apiMessage('templateTypeNotProvisionable', { type: String(t.Type).slice(0, 40) }));
  }
}
