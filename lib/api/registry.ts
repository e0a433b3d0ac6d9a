// The endpoint registry: one declaration per Comet endpoint. The catch-all route (lib/api/handle.ts),
// the console's server actions, the OpenAPI document and the tenant-isolation test matrix all read
// this one list.
import type { EndpointAuth } from '../auth/endpoint-auth';
import type { Locale } from '../i18n/locales';
import type { AdminActor, UserActor, AnonymousActor } from '../tenancy/actor';
import type { Permission } from '../tenancy/permissions';
import type { ParamShape, ParamValues } from './params';

type ActorFor<A extends EndpointAuth> = A extends 'admin'
  ? AdminActor
  : A extends 'user'
    ? UserActor
    : A extends 'admin-or-user'
      ? AdminActor | UserActor
      : A extends 'admin-or-public-download'
        ? AdminActor | AnonymousActor
        : AnonymousActor;

type EndpointContext<A extends EndpointAuth, S extends ParamShape> = {
  actor: ActorFor<A>;
  params: ParamValues<S>;
  /** The credentials the caller authenticated with (session-start needs the method). `locale`: the caller's language (Accept-Language; the console's UI language) for messages inside a successful answer. */
  request: { ip: string; userAgent: string; requestId: string; host?: string; locale?: Locale };
};

type Endpoint<A extends EndpointAuth = EndpointAuth, S extends ParamShape = ParamShape> = {
  path: string;
  /** Comet SDK method name, e.g. AdminAddUser. */
  method: string;
  summary: string;
  auth: A;
  topLevelOnly?: boolean;
  permission?: Permission;
  params: S;
  /** Comet return type name (types.json), for the OpenAPI document. */
  returns: string;
  /** A Halley endpoint that Comet does not have (kept out of the Comet contract check). */
  extension?: boolean;
  /**
   * Comet's `responseFormat` when the answer is not JSON. Such endpoints answer errors with a non-2xx HTTP
   * status (the JSON body as usual), because the SDKs' download methods look only at the HTTP status.
   */
  responseFormat?: 'text' | 'file';
  /** Parameters Comet sends as multipart/form-data file parts (resource/new): their bytes reach the handler base64-encoded. */
  fileParams?: readonly string[];
  // A method signature on purpose: its parameter is checked bivariantly, so an Endpoint<'admin', S> is an
  // AnyEndpoint without a cast. Sound in use: handle.ts calls a handler only with the actor its own `auth`
  // produced and the values its own `params` decoded.
  handler(ctx: EndpointContext<A, S>): Promise<unknown>;
};

export function defineEndpoint<A extends EndpointAuth, S extends ParamShape>(def: Endpoint<A, S>): Endpoint<A, S> {
  return def;
}

export type AnyEndpoint = Endpoint<EndpointAuth, ParamShape>;
