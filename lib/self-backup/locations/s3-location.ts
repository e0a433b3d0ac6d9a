// An S3-compatible bucket (DESTINATIONTYPE_S3: S3Server, S3UsesTLS, S3AccessKey, S3SecretKey, S3BucketName,
// S3Subdir, S3CustomRegion) through the storage layer's guarded client. The archive is sent as a multipart
// upload straight to its final key: S3 shows the object only when CompleteMultipartUpload succeeds, so the
// bucket holds either the whole archive or none of it. Parts are buffered one at a time (8 MiB) and the
// stream waits for each part's upload (back-pressure), so memory does not grow with the archive.
// While a run writes, a small marker object ".partial-<runId>.json" (the upload's key and UploadId) lets a
// later run abort the upload of a killed worker (removeOrphans) without ListMultipartUploads, which not
// every S3-compatible server implements.
import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { allowPrivateTargetsNow } from '../../net/private-targets';
import { CauseError } from '../../errors';
import { apiMessage } from '../../i18n/api-messages';
import { guardedS3Client } from '../../storage/s3-client';
import type { LocationConfig } from '../stored-options';
import type { ArchiveInfo, BackupLocation, PendingArchive } from './location';

/** S3's minimum part size is 5 MiB (all parts but the last); at most 10,000 parts: 8 MiB parts allow ~78 GiB. */
const PART_BYTES = 8 * 1024 * 1024;
const MAX_PARTS = 10_000;
const MARKER = /^\.partial-([0-9a-f-]{36})\.json$/;

/** "a/b" → "a/b/", "" → "": the folder inside the bucket the archives go to. */
function s3Folder(subdir: unknown): string {
  const s = String(subdir ?? '').replace(/^\/+|\/+$/g, '');
  return s === '' ? '' : `${s}/`;
}

export function s3Location(location: LocationConfig): BackupLocation {
  const bucket = String(location.S3BucketName ?? '');
  const folder = s3Folder(location.S3Subdir);
  const server = String(location.S3Server ?? '');
  let clientPromise: Promise<S3Client> | null = null;
  const client = () =>
    (clientPromise ??= allowPrivateTargetsNow().then((allowPrivate) =>
      guardedS3Client({
        endpoint: server,
        useTls: location.S3UsesTLS === true,
        region: typeof location.S3CustomRegion === 'string' ? location.S3CustomRegion : undefined,
        accessKey: String(location.S3AccessKey ?? ''),
        secretKey: String(location.S3SecretKey ?? ''),
        allowPrivate,
        // A part upload may take long on a slow link; the guard still applies to every connection.
        timeoutMs: 10 * 60_000,
      }),
    ));
  const send = async <T>(command: unknown): Promise<T> => (await client()).send(command as never) as Promise<T>;

  async function listKeys(prefix: string): Promise<Array<{ Key?: string; Size?: number; LastModified?: Date }>> {
    const out: Array<{ Key?: string; Size?: number; LastModified?: Date }> = [];
    let token: string | undefined;
    do {
      const page = await send<{ Contents?: Array<{ Key?: string; Size?: number; LastModified?: Date }>; IsTruncated?: boolean; NextContinuationToken?: string }>(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: folder + prefix, ContinuationToken: token }),
      );
      out.push(...(page.Contents ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  return {
    describe: () => `s3: ${server}/${bucket}/${folder}`,
    async check() {
      if (!bucket) throw new CauseError(apiMessage('locationFieldEmpty', { field: 'S3BucketName' }));
      await send(new HeadBucketCommand({ Bucket: bucket }));
    },
    async create(name: string, runId: string): Promise<PendingArchive> {
      const key = folder + name;
      const markerKey = `${folder}.partial-${runId}.json`;
      const { UploadId } = await send<{ UploadId?: string }>(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'application/zip' }),
      );
      if (!UploadId) throw new CauseError(apiMessage('s3NoMultipartUpload'));
      await send(new PutObjectCommand({ Bucket: bucket, Key: markerKey, Body: JSON.stringify({ key, uploadId: UploadId }), ContentType: 'application/json' }));
      const parts: Array<{ ETag: string; PartNumber: number }> = [];
      let buffered: Buffer[] = [];
      let bufferedBytes = 0;
      let total = 0;
      const uploadPart = async () => {
        if (bufferedBytes === 0 && parts.length > 0) return;
        const body = Buffer.concat(buffered, bufferedBytes);
        buffered = [];
        bufferedBytes = 0;
        const PartNumber = parts.length + 1;
        if (PartNumber > MAX_PARTS) throw new CauseError(apiMessage('archiveTooManyParts', { parts: String(MAX_PARTS), bytes: String(PART_BYTES) }));
        const r = await send<{ ETag?: string }>(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber, Body: body, ContentLength: body.length }));
        if (!r.ETag) throw new CauseError(apiMessage('s3PartNoEtag', { part: String(PartNumber) }));
        parts.push({ ETag: r.ETag, PartNumber });
      };
      let finished = false;
      const stream = new Writable({
        highWaterMark: 1024 * 1024,
        write(chunk: Buffer, _enc, done) {
          buffered.push(chunk);
          bufferedBytes += chunk.length;
          total += chunk.length;
          if (bufferedBytes < PART_BYTES) return done();
          uploadPart().then(() => done(), done);
        },
        final(done) {
          uploadPart().then(() => {
            finished = true;
            done();
          }, done);
        },
      });
      const removeMarker = () => send(new DeleteObjectCommand({ Bucket: bucket, Key: markerKey })).catch(() => undefined);
      return {
        stream,
        async commit() {
          if (!finished) {
            await new Promise<void>((resolve, reject) => {
              if (stream.writableFinished) return resolve();
              stream.once('finish', () => resolve());
              stream.once('error', reject);
            });
          }
          await send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
          await removeMarker();
          const head = await send<{ ContentLength?: number }>(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          return { size: head.ContentLength ?? total };
        },
        async abort() {
          stream.destroy();
          await send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
          await removeMarker();
        },
      };
    },
    async list(prefix: string): Promise<ArchiveInfo[]> {
      return (await listKeys(prefix))
        .filter((o) => o.Key && o.Key.endsWith('.zip') && !o.Key.slice(folder.length).includes('/'))
        .map((o) => ({ name: o.Key!.slice(folder.length), size: Number(o.Size ?? 0), modifiedMs: o.LastModified?.getTime() ?? 0 }));
    },
    async remove(name: string) {
      await send(new DeleteObjectCommand({ Bucket: bucket, Key: folder + name }));
    },
    async removeOrphans(activeRunIds: Set<string>) {
      let removed = 0;
      for (const o of await listKeys('.partial-')) {
        const m = MARKER.exec(o.Key!.slice(folder.length));
        if (!m || activeRunIds.has(m[1]!)) continue;
        try {
          const r = await send<{ Body?: { transformToString(): Promise<string> } }>(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
          const { key, uploadId } = JSON.parse((await r.Body?.transformToString()) ?? '{}') as { key?: string; uploadId?: string };
          if (key?.startsWith(folder) && uploadId) await send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
        } catch {
          // An unreadable marker still goes: the upload it named expires by the bucket's own rules.
        }
        await send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
        removed++;
      }
      return removed;
    },
  };
}
