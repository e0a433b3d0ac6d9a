// The reference agent's Azure Blob Storage vaults (agent/azure-store.ts through storeFor): what a vault needs, and
// the endpoint each form of AZBRealm gives (empty: Azure's public cloud; a suffix: another cloud; a URL: an
// emulator or custom endpoint, path-style). Requests against a real endpoint: tests/integration/agent-vaults.
import { expect, it } from 'vitest';
import { storeFor } from '../../agent/vault-stores';

const vault = (more: Record<string, unknown> = {}) => ({ DestinationType: 1005, AZBAccountName: 'acct', AZBAccountKey: 'a2V5', AZBContainer: 'backups', ...more });

it('names what an Azure vault is missing', () => {
  expect(() => storeFor(vault({ AZBAccountKey: '' }))).toThrow('The Azure Blob Storage vault needs AZBAccountName, AZBAccountKey and AZBContainer (missing: AZBAccountKey)');
  expect(() => storeFor(vault({ AZBAccountName: ' ', AZBContainer: undefined }))).toThrow(/missing: AZBAccountName, AZBContainer\)$/);
});

it('reaches the endpoint AZBRealm names, with AZBPrefix as one folder', () => {
  expect(storeFor(vault()).description).toBe('Azure container backups in storage account acct');
  expect(storeFor(vault({ AZBRealm: 'core.windows.net', AZBPrefix: '/office//laptops/' })).description).toBe('Azure container backups/office/laptops/ in storage account acct');
  expect(storeFor(vault({ AZBRealm: 'core.chinacloudapi.cn' })).description).toBe('Azure container backups in storage account acct at https://acct.blob.core.chinacloudapi.cn');
  expect(storeFor(vault({ AZBRealm: 'http://127.0.0.1:10000/' })).description).toBe('Azure container backups in storage account acct at http://127.0.0.1:10000/acct');
  expect(storeFor(vault({ AZBRealm: 'https://blob.example.net/azure' })).description).toBe('Azure container backups in storage account acct at https://blob.example.net/azure/acct');
  expect(() => storeFor(vault({ AZBRealm: 'ftp://example.net' }))).toThrow(/must start with http:\/\/ or https:\/\/, not ftp:/);
  expect(() => storeFor(vault({ AZBRealm: 'not a suffix' }))).toThrow(/is not an endpoint suffix such as core.windows.net/);
});
