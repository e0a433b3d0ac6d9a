// admin/branding/generate-client/*: the installable package of Halley's client, the reference agent. A
// tar.gz holding the agent's sources (agent/ and the lib files it imports), a package.json naming its
// runtime dependencies, halley-client.json (server URL, branding, version), an installer script and a
// MANIFEST.sha256 of every file. The branding is the tenant's: a tenant administrator's own organization,
// otherwise (top-level administrator, anonymous public download) the organization whose Hosts contain the
// request's Host, as Comet does.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { db } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { logoForBuild } from '../branding/logo-for-build';
import { tenantIdForHost } from '../tenancy/host';
import type { AdminActor, AnonymousActor } from '../tenancy/actor';
import { CLIENT_VERSION } from './client-version';
import { installerScript } from './installer-script';
import type { ClientPlatform } from './platforms';
import { tarGz, type TarEntry } from './tar-gz';
import { apiMessage } from '../i18n/api-messages';

const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'|(?:^|\n)\s*import\s+'(\.{1,2}\/[^']+)'/g;

/**
 * The lib/ files the agent's sources import, directly or through each other, found by following their relative
 * imports: a fixed list went stale when agent/schedule.ts started using lib/schedules/next-runs.ts, and every
 * installed client failed to start.
 */
function agentLibFiles(root: string, agentFiles: string[]): string[] {
  const found = new Set<string>();
  const queue = [...agentFiles];
  while (queue.length) {
    const rel = queue.pop()!;
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const spec = m[1] ?? m[2];
      let target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
      if (!target.endsWith('.ts')) target += fs.existsSync(path.join(root, `${target}.ts`)) ? '.ts' : '/index.ts';
      if (!target.startsWith('lib/') || found.has(target)) continue;
      found.add(target);
      queue.push(target);
    }
  }
  return [...found].sort();
}
/** Runtime dependencies of the agent, at the versions this server runs with. */
const RUNTIME_DEPENDENCIES = ['@aws-sdk/client-s3', '@tryjsky/v9u-smb2', 'basic-ftp', 'ssh2', 'tsx', 'ws', 'zod'];
/** The public BrandingOptions fields a client carries (never the code-signing settings: they hold secrets). */
const CLIENT_BRANDING_FIELDS = ['BrandName', 'ProductName', 'CompanyName', 'HelpURL', 'DefaultLoginServerURL', 'AccountRegisterURL', 'TopColor', 'AccentColor', 'PackageIdentifier'] as const;

type ClientPackage = { filename: string; bytes: Buffer; sha256: string; version: string };

function sourceRoot(): string {
  const root = process.cwd();
  if (!fs.existsSync(path.join(root, 'agent', 'index.ts'))) throw new NotFoundError(apiMessage('clientSourcesMissing'));
  return root;
}

function serverUrl(selfAddress: string | undefined, branding: Record<string, string>, host: string | undefined): string {
  const given = selfAddress?.trim() || branding.DefaultLoginServerURL?.trim() || (host ? `http://${host}/` : '');
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new BadRequestError(given ? apiMessage('selfAddressNotAUrl', { value: given.slice(0, 100) }) : apiMessage('selfAddressRequired'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequestError(apiMessage('selfAddressNotHttp'));
  if (url.username || url.password) throw new BadRequestError(apiMessage('selfAddressCredentials'));
  url.search = '';
  url.hash = '';
  // The installer writes it between single quotes
  return url.toString().replaceAll("'", '%27');
}

async function brandingFor(actor: AdminActor | AnonymousActor, host: string | undefined): Promise<{ fields: Record<string, string>; logo: { name: string; bytes: Buffer } | null }> {
  const tenantId =
    actor.kind === 'admin' && !actor.isTopLevel ? actor.tenantId : actor.kind === 'anonymous' && actor.device ? actor.device.tenantId : await tenantIdForHost(host ?? '');
  // tenancy: derived — the tenant is the tenant admin's own, the updating device's, or the one the request's Host names (public branding)
  const row = await db().tenant.findUnique({ where: { id: tenantId }, select: { data: true } });
  const stored = (((row?.data ?? {}) as Record<string, unknown>).Branding ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const field of CLIENT_BRANDING_FIELDS) if (typeof stored[field] === 'string' && stored[field]) out[field] = stored[field] as string;
  // The uploaded logo travels in the package; the client's config names the file.
  const logo = await logoForBuild(tenantId, stored.LogoImage);
  if (logo) out.LogoImage = logo.name;
  return { fields: out, logo };
}

function packageJson(root: string): string {
  const server = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const all = { ...server.devDependencies, ...server.dependencies };
  const dependencies = Object.fromEntries(RUNTIME_DEPENDENCIES.map((d) => [d, all[d] ?? '*']));
  return `${JSON.stringify({ name: 'halley-agent', version: CLIENT_VERSION, private: true, type: 'module', engines: { node: '>=22' }, dependencies }, null, 2)}\n`;
}

export async function buildClientPackage({
  actor,
  platform,
  selfAddress,
  host,
}: {
  actor: AdminActor | AnonymousActor;
  platform: ClientPlatform;
  selfAddress?: string;
  host?: string;
}): Promise<ClientPackage> {
  const root = sourceRoot();
  const { fields: branding, logo } = await brandingFor(actor, host);
  const url = serverUrl(selfAddress, branding, host);
  const top = `halley-agent-${CLIENT_VERSION}`;
  const mtime = Math.floor(Date.now() / 1000);
  const files: Array<{ name: string; data: Buffer; mode: number }> = [];
  const agentFiles = fs.readdirSync(path.join(root, 'agent')).filter((f) => f.endsWith('.ts')).sort();
  const agentPaths = agentFiles.map((f) => `agent/${f}`);
  for (const rel of [...agentPaths, ...agentLibFiles(root, agentPaths)]) files.push({ name: rel, data: fs.readFileSync(path.join(root, rel)), mode: 0o644 });
  if (logo) files.push({ name: logo.name, data: logo.bytes, mode: 0o644 });
  const config = { Version: CLIENT_VERSION, Platform: platform.slug, ServerURL: url, Branding: branding };
  files.push({ name: 'package.json', data: Buffer.from(packageJson(root)), mode: 0o644 });
  files.push({ name: 'halley-client.json', data: Buffer.from(`${JSON.stringify(config, null, 2)}\n`), mode: 0o644 });
  files.push({ name: 'VERSION', data: Buffer.from(`${CLIENT_VERSION}\n`), mode: 0o644 });
  files.push({ name: 'install.sh', data: Buffer.from(installerScript({ version: CLIENT_VERSION, serverUrl: url, productName: branding.ProductName || branding.BrandName || 'Halley backup agent' })), mode: 0o755 });
  const manifest = files.map((f) => `${createHash('sha256').update(f.data).digest('hex')}  ${f.name}\n`).join('');
  const entries: TarEntry[] = [...files, { name: 'MANIFEST.sha256', data: Buffer.from(manifest), mode: 0o644 }].map((f) => ({ ...f, name: `${top}/${f.name}`, mtime }));
  const bytes = tarGz(entries);
  return { filename: `${top}-${platform.slug}.tar.gz`, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), version: CLIENT_VERSION };
}
