// admin/halley/organization/import-upload: a tenant export archive sent with the request (a multipart file part,
// as Comet's resource/new takes files; bounded by HALLEY_MAX_BODY_BYTES) instead of a path on the server. The
// bytes are written under <data>/imports (upload-dir.ts) and imported like a server path
// (start-organization-import.ts). A dry run keeps the file, so the import that follows names it by the
// ArchivePath answered here; the file goes when a real import of it ends (run-organization-import.ts), and
// uploads older than a day go at the next upload.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { startOrganizationImport } from './start-organization-import';
import { uploadDir } from './upload-dir';

const DAY_MS = 86_400_000;
/** A zip file starts with a local file header (PK\x03\x04). */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

async function removeStale(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = join(dir, name);
    const s = await stat(file).catch(() => null);
    if (s?.isFile() && Date.now() - s.mtimeMs > DAY_MS) await rm(file, { force: true });
  }
}

export async function uploadOrganizationImport({ actor, archiveBase64, password, dryRun }: { actor: AdminActor; archiveBase64: string; password: string; dryRun?: boolean }): Promise<{ importId: string; archivePath: string }> {
  requireTopLevel(actor);
  const bytes = Buffer.from(archiveBase64, 'base64');
  if (bytes.length < ZIP_MAGIC.length || !bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) throw new BadRequestError(apiMessage('importUploadNotZip'));
  if (!password) throw new BadRequestError(apiMessage('importPasswordMissing'));
  const dir = uploadDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await removeStale(dir);
  const archivePath = join(dir, `upload-${randomUUID()}.zip`);
  await writeFile(archivePath, bytes, { mode: 0o600 });
  try {
    const { importId } = await startOrganizationImport({ actor, archivePath, password, dryRun });
    return { importId, archivePath };
  } catch (err) {
    await rm(archivePath, { force: true });
    throw err;
  }
}
