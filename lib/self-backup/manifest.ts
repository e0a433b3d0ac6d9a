// The manifest of a self-backup archive (manifest.json, the last entry written): what the archive holds and
// how to check it. scripts/restore.ts reads nothing it has not first found here with a matching checksum.

/** Raised when the archive format changes in a way an older restore cannot read. */
export const ARCHIVE_FORMAT = 'halley-self-backup';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';

export type ManifestTable = {
  name: string;
  /** The archive entry holding the table in COPY text format (tab-separated, \N for NULL). */
  entry: string;
  columns: string[];
  rows: number;
  bytes: number;
  sha256: string;
};

export type ManifestFile = { entry: string; bytes: number; sha256: string };

type ManifestSequence = { table: string; column: string; sequence: string; lastValue: string; isCalled: boolean };

export type Manifest = {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  halleyVersion: string;
  /** The Comet API version Halley answered as. */
  cometVersion: string;
  createdAt: string;
  postgresVersion: string;
  /** The migrations applied to the database the snapshot was taken from, in order. */
  migrations: string[];
  excludeJobs: boolean;
  includeLogs: boolean;
  /** A tenant export: only this tenant's rows (and no server-wide tables). */
  restrictToOrgId: string;
  /** Tables in load order (a table after every table it references). */
  tables: ManifestTable[];
  sequences: ManifestSequence[];
  /** Data directory files (data/...) and server logs (logs/...). */
  files: ManifestFile[];
  /**
   * The SelfBackupRun that wrote the archive and the name it published it under (absent in archives of
   * older Halleys): the snapshot saw that run in progress; the restore records it as the success it was.
   */
  run?: { id: string; fileName: string };
};

/** `a` compared with `b` as dotted version numbers: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
