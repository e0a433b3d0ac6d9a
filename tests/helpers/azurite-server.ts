// A real Azure Blob Storage endpoint for the agent's Azure vaults: Azurite (the `azurite` devDependency, Microsoft's
// emulator) running its blob service only (`azurite-blob`) on a free loopback port, with its data in a throwaway
// folder. It takes the well-known development account devstoreaccount1 and answers path-style URLs,
// http://127.0.0.1:{port}/devstoreaccount1/{container}/…, the form an agent gets from a URL AZBRealm. It runs in
// its own process group, so stop() ends exactly that server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { azureSharedKeyRequest } from '../../agent/azure-store';
import { freePort, repoRoot, startProcess } from '../../scripts/lib/services.mjs';
import { ownedServer } from './server-process';
import { waitForTcpPort } from './wait';

/** Azurite's built-in account and its published key (https://learn.microsoft.com/azure/storage/common/storage-use-azurite). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteServer = {
  /** The endpoint as an agent's AZBRealm takes it. */
  url: string;
  account: string;
  accountKey: string;
  /** Makes a container (Create Container, signed with the account key). */
  createContainer: (name: string) => Promise<void>;
  stop: () => Promise<void>;
};

export async function startAzurite(): Promise<AzuriteServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-azurite-'));
  const port = await freePort();
  const bin = path.join(repoRoot, 'node_modules', '.bin', 'azurite-blob');
  const proc = startProcess(bin, ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', dir, '--silent'], { name: 'azurite-blob', echo: false });
  const stop = await ownedServer(proc, dir, () => waitForTcpPort(port, proc, 'azurite-blob'));
  const url = `http://127.0.0.1:${port}`;
  const base = `${url}/${ACCOUNT}`;
  return {
    url,
    account: ACCOUNT,
    accountKey: ACCOUNT_KEY,
    createContainer: async (name) => {
      const res = await azureSharedKeyRequest(ACCOUNT, ACCOUNT_KEY, 'PUT', `${base}/${encodeURIComponent(name)}?restype=container`);
      const text = await res.text();
      if (res.status !== 201) throw new Error(`Azurite did not create container ${name}: HTTP ${res.status} ${text.slice(0, 300)}`);
    },
    stop,
  };
}
