// AdminMetaServerConfigNetworkInterfaces: the addresses this node can listen on, as Comet lists them for its
// "listen address" picker: the wildcard addresses first, then every interface address.
import os from 'node:os';

export function listNetworkInterfaces(): string[] {
  const addresses = new Set<string>(['0.0.0.0', '::']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) addresses.add(a.address);
  }
  return [...addresses];
}
