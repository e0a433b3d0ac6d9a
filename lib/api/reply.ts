// What a registry handler returns when a plain JSON body is not enough: Comet's text endpoints
// (job logs: `responseFormat: "text"`, raw bytes that Go and PHP pass through), its file endpoints
// (`responseFormat: "file"`: client packages, log archives; Halley's exports) streamed as they are made,
// and Halley's paging extension (the next keyset cursor travels in a response header, because Comet's list
// answers are bare JSON arrays with no room for it). Errors stay JSON {Status, Message} either way.

/** The bytes of a file answer, produced while they are sent (a Node Readable is one). */
export type FileSource = AsyncIterable<Uint8Array | string>;

export class ApiReply {
  private constructor(
    readonly body: unknown,
    readonly contentType: 'json' | 'text' | 'file' | 'json-stream',
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  /** A JSON body with extra response headers. */
  static json(body: unknown, headers: Record<string, string> = {}): ApiReply {
    return new ApiReply(body, 'json', headers);
  }

  /**
   * A JSON body produced while it is sent (lib/api/json-stream.ts encodeJsonObject / encodeJsonArray): the same
   * bytes as `json()` of the whole value, never held whole in memory. A small answer (under 64 KiB) still goes
   * out in one piece with a Content-Length; an error after the first bytes aborts the connection.
   */
  static jsonStream(chunks: AsyncIterable<string>, headers: Record<string, string> = {}): ApiReply {
    return new ApiReply(chunks, 'json-stream', headers);
  }

  /** A plain-text (UTF-8) body. */
  static text(body: string, headers: Record<string, string> = {}): ApiReply {
    return new ApiReply(body, 'text', headers);
  }

  /**
   * A file download, streamed with back-pressure: `source` is read only as fast as the client takes it, so
   * an archive or export is never held whole in memory. An error while streaming aborts the connection (the
   * status line has gone out; a truncated download must not look complete).
   */
  static file(source: FileSource, opts: { filename: string; contentType?: string; length?: number; headers?: Record<string, string> }): ApiReply {
    const headers: Record<string, string> = {
      ...opts.headers,
      'content-type': opts.contentType ?? 'application/octet-stream',
      'content-disposition': `attachment; filename="${opts.filename.replace(/[^\w.+-]/g, '_')}"`,
    };
    if (opts.length !== undefined) headers['content-length'] = String(opts.length);
    return new ApiReply(source, 'file', headers);
  }
}

/** Response header carrying the cursor of the next page (absent on the last page). */
export const NEXT_CURSOR_HEADER = 'x-halley-next-cursor';
