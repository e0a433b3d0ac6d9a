// COPY ... TO STDOUT and COPY ... FROM STDIN over a plain `pg` client, streamed both ways. `pg` hands a
// "submittable" object the raw protocol messages of its query; pg-copy-streams does the same, it is just
// not a dependency here. Backpressure: a slow consumer pauses the socket, a slow server pauses the source.
import { Readable } from 'node:stream';
import type pg from 'pg';

type Connection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(msg: string): void;
  stream: NodeJS.ReadWriteStream & { writableNeedDrain?: boolean; once(ev: 'drain', fn: () => void): unknown };
};

/** Every protocol callback `pg` may call on a submittable, as no-ops. */
const NOOPS = {
  handleRowDescription() {},
  handleDataRow() {},
  handleEmptyQuery() {},
  handlePortalSuspended() {},
  handleCommandComplete() {},
};

/**
 * PostgreSQL sends one CopyData message per row; the stream hands rows on in chunks of up to this size, so the
 * hash, deflate and AES stages downstream see a few large chunks instead of a million tiny ones (each chunk
 * through a web stream costs promise round trips: per row, that was most of a self-backup's time).
 */
const CHUNK_BYTES = 256 * 1024;

/** Runs `sql` (a COPY ... TO STDOUT) and returns its data as a stream of buffers (rows batched, see CHUNK_BYTES). */
export function copyOut(client: pg.Client, sql: string): Readable {
  let conn: Connection | undefined;
  let paused = false;
  // Rows are copied into `batch`: pg's parser reuses its read buffer, so a view of it must not outlive the callback.
  let batch = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  const flush = (): boolean => {
    if (!used) return true;
    const chunk = batch.subarray(0, used);
    batch = Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
    return out.push(chunk);
  };
  const add = (row: Buffer): boolean => {
    let ok = true;
    // A large row goes on its own, after what is batched (order kept).
    if (row.length > CHUNK_BYTES / 2) {
      ok = flush();
      return out.push(Buffer.from(row)) && ok;
    }
    if (used + row.length > CHUNK_BYTES) ok = flush();
    row.copy(batch, used);
    used += row.length;
    return ok;
  };
  const resume = () => {
    if (paused && conn) {
      paused = false;
      conn.stream.resume();
    }
  };
  const out = new Readable({ read: resume });
  const submittable = {
    ...NOOPS,
    submit(connection: Connection) {
      conn = connection;
      connection.query(sql);
    },
    handleCopyData(msg: { chunk: Buffer }) {
      if (!add(msg.chunk) && conn && !paused) {
        paused = true;
        conn.stream.pause();
      }
    },
    handleCopyInResponse(connection: Connection) {
      connection.sendCopyFail('copyOut runs COPY ... TO STDOUT only');
    },
    handleReadyForQuery() {
      resume();
      flush();
      out.push(null);
    },
    handleError(err: Error) {
      resume();
      used = 0;
      out.destroy(err);
    },
  };
  void client.query(submittable as unknown as pg.QueryConfig);
  return out;
}

/** Runs `sql` (a COPY ... FROM STDIN) with the bytes of `source`; resolves when the server has committed the statement. */
export function copyIn(client: pg.Client, sql: string, source: AsyncIterable<Buffer | Uint8Array>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const submittable = {
      ...NOOPS,
      submit(connection: Connection) {
        connection.query(sql);
      },
      handleCopyData() {},
      handleCopyInResponse(connection: Connection) {
        void (async () => {
          try {
            for await (const chunk of source) {
              if (failed) return;
              connection.sendCopyFromChunk(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
              if (connection.stream.writableNeedDrain) await new Promise<void>((r) => connection.stream.once('drain', r));
            }
            connection.endCopyFrom();
          } catch (err) {
            // The server rolls the statement back and answers with an error, which rejects below.
            connection.sendCopyFail(`source failed: ${(err as Error).message}`.slice(0, 200));
          }
        })();
      },
      handleReadyForQuery() {
        if (!failed) resolve();
      },
      handleError(err: Error) {
        failed = true;
        reject(err);
      },
    };
    void client.query(submittable as unknown as pg.QueryConfig);
  });
}
