/** Who may call an endpoint: the credentials `authenticate` accepts for it (declared per registry entry). */
export type EndpointAuth = 'admin' | 'user' | 'admin-or-user' | 'admin-or-public-download' | 'none';
