// What a registry handler returns when a plain JSON body is not enough: Comet's text endpoints
// (job logs: `responseFormat: "text"`, raw bytes that Go and PHP pass through) and Halley's paging
// extension (the next keyset cursor travels in a response header, because Comet's list answers are
// bare JSON arrays with no room for it). Errors stay JSON {Status, Message} either way.
export class ApiReply {
  private constructor(
    readonly body: unknown,
    readonly contentType: 'json' | 'text' | 'file',
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  /** A JSON body with extra response headers. */
  static json(body: unknown, headers: Record<string, string> = {}): ApiReply {
    return new ApiReply(body, 'json', headers);
  }

  /** A file streamed as it is produced (exports); `headers` carry its content type and disposition. */
  static file(body: ReadableStream<Uint8Array>, headers: Record<string, string>): ApiReply {
    return new ApiReply(body, 'file', headers);
  }

  /** The stream of a file reply, or undefined for any other answer. */
  static fileBody(result: unknown): ReadableStream<Uint8Array> | undefined {
    return result instanceof ApiReply && result.contentType === 'file' ? (result.body as ReadableStream<Uint8Array>) : undefined;
  }

  /** A plain-text (UTF-8) body. */
  static text(body: string, headers: Record<string, string> = {}): ApiReply {
    return new ApiReply(body, 'text', headers);
  }
}

/** Response header carrying the cursor of the next page (absent on the last page). */
export const NEXT_CURSOR_HEADER = 'x-halley-next-cursor';
