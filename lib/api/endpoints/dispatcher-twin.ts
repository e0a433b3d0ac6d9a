// Issue 15's dispatcher commands come in pairs: admin/dispatcher/<cmd> (any live connection the admin may see)
// and user/web/dispatcher/<cmd> (the signed-in user's own devices). One declaration makes both.
import type { AdminActor, UserActor } from '../../tenancy/actor';
import type { ParamShape, ParamValues } from '../params';
import { defineEndpoint, type AnyEndpoint } from '../registry';

type TwinDef<S extends ParamShape> = {
  /** The path after dispatcher/, e.g. request-vault-snapshots. */
  cmd: string;
  summary: string;
  params: S;
  returns: string;
  /** Comet's return type of the user/web form when it differs. */
  userReturns?: string;
  /** false: Comet has only the admin form. */
  user?: boolean;
  handler: (ctx: { actor: AdminActor | UserActor; params: ParamValues<S> }) => Promise<unknown>;
};

/** request-browse-vmware/hosts -> RequestBrowseVmwareHosts */
const methodPart = (cmd: string) =>
  cmd
    .split(/[-/]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

export function dispatcherTwin<S extends ParamShape>(d: TwinDef<S>): AnyEndpoint[] {
  const admin = defineEndpoint({
    path: `/api/v1/admin/dispatcher/${d.cmd}`,
    method: `AdminDispatcher${methodPart(d.cmd)}`,
    summary: d.summary,
    auth: 'admin',
    params: d.params,
    returns: d.returns,
    handler: ({ actor, params }) => d.handler({ actor, params }),
  });
  if (d.user === false) return [admin];
  const user = defineEndpoint({
    path: `/api/v1/user/web/dispatcher/${d.cmd}`,
    method: `UserWebDispatcher${methodPart(d.cmd)}`,
    summary: `End user, own device: ${d.summary.charAt(0).toLowerCase()}${d.summary.slice(1)}`,
    auth: 'user',
    params: d.params,
    returns: d.userReturns ?? d.returns,
    handler: ({ actor, params }) => d.handler({ actor, params }),
  });
  return [admin, user];
}
