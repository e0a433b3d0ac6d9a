// Where self-backup archives go. A location writes one archive under a temporary name and publishes it
// atomically (commit), so a reader never sees a partial archive; a run that dies leaves only a temporary
// object, which the next run of the same location removes (removeOrphans). Local paths are implemented
// here; S3-compatible storage and Storage Role buckets plug in as further implementations of this type.
import type { Writable } from 'node:stream';

export type ArchiveInfo = { name: string; size: number; modifiedMs: number };

export type PendingArchive = {
  /** The archive bytes go here; `commit` or `abort` after it has finished or failed. */
  stream: Writable;
  /** Publishes the archive under its final name; resolves with its size. */
  commit(): Promise<{ size: number }>;
  /** Removes what was written. */
  abort(): Promise<void>;
};

export type BackupLocation = {
  /** For people (history, log): never holds a credential. */
  describe(): string;
  /** Checks the location is usable before a run starts (folder exists and is writable, bucket reachable). */
  check(): Promise<void>;
  /** A new archive named `name`, written under a temporary name that carries `runId`. */
  create(name: string, runId: string): Promise<PendingArchive>;
  /** Published archives whose names start with `prefix`. */
  list(prefix: string): Promise<ArchiveInfo[]>;
  remove(name: string): Promise<void>;
  /** Deletes temporary objects of runs other than `activeRunIds` (killed runs). */
  removeOrphans(activeRunIds: Set<string>): Promise<number>;
};
