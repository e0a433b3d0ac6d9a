import { deletePolicy } from '../../policies/delete-policy';
import { getPolicy } from '../../policies/get-policy';
import { listPolicies, listPoliciesFull } from '../../policies/list-policies';
import { newPolicy } from '../../policies/new-policy';
import { setPolicy } from '../../policies/set-policy';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

type PolicyOptions = { DeleteSources?: string[] | null };

export const policyEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/policies/list',
    method: 'AdminPoliciesList',
    summary: 'Policy IDs and names',
    auth: 'admin',
    params: { TargetOrganization: p.string().topLevel().opt() },
    returns: 'map[string]string',
    handler: ({ actor, params }) => listPolicies({ actor, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/policies/list-full',
    method: 'AdminPoliciesListFull',
    summary: 'All policy objects keyed by ID',
    auth: 'admin',
    params: { TargetOrganization: p.string().topLevel().opt() },
    returns: 'map[string]GroupPolicy',
    handler: ({ actor, params }) => listPoliciesFull({ actor, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/policies/get',
    method: 'AdminPoliciesGet',
    summary: 'One policy with its change hash',
    auth: 'admin',
    params: { PolicyID: p.string() },
    returns: 'GetGroupPolicyResponse',
    handler: ({ actor, params }) => getPolicy({ actor, policyId: params.PolicyID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/policies/new',
    method: 'AdminPoliciesNew',
    summary: 'Create a policy; the new ID is returned as Message (and as PolicyID, a Halley addition)',
    auth: 'admin',
    params: { Policy: p.json('GroupPolicy') },
    returns: 'CreateGroupPolicyResponse',
    handler: ({ actor, params }) => newPolicy({ actor, policy: params.Policy }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/policies/set',
    method: 'AdminPoliciesSet',
    summary: 'Update a policy, optionally guarded by its hash (accounts using it follow), or create it under PolicyID when the organization has none by that id',
    auth: 'admin',
    params: { PolicyID: p.string(), Policy: p.json('GroupPolicy'), CheckPolicyHash: p.string().opt(), Options: p.json<PolicyOptions>('PolicyOptions').opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setPolicy({
        actor,
        policyId: params.PolicyID,
        policy: params.Policy,
        checkHash: params.CheckPolicyHash,
        deleteSources: params.Options?.DeleteSources ?? undefined,
      });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/policies/delete',
    method: 'AdminPoliciesDelete',
    summary: 'Delete a policy',
    auth: 'admin',
    params: { PolicyID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deletePolicy({ actor, policyId: params.PolicyID });
      return OK;
    },
  }),
];
