import type { AnyEndpoint } from '../registry';
import { adminSelfEndpoints } from './admin-self';
import { metaEndpoints } from './meta';
import { policyEndpoints } from './policies';
import { tenantEndpoints } from './tenants';
import { userEndpoints } from './users';
import { userWebEndpoints } from './user-web';

/** Every endpoint Halley serves, in one list. */
export const endpoints: readonly AnyEndpoint[] = [
  ...adminSelfEndpoints,
  ...tenantEndpoints,
  ...userEndpoints,
  ...policyEndpoints,
  ...metaEndpoints,
  ...userWebEndpoints,
] as unknown as AnyEndpoint[];

const byPath = new Map(endpoints.map((e) => [e.path, e]));
if (byPath.size !== endpoints.length) throw new Error('Duplicate endpoint path in the registry');

export function endpointByPath(path: string): AnyEndpoint | undefined {
  return byPath.get(path);
}
