// zip.js set up for Node: no web workers, and Node's own zlib (native, honours the compression level) as
// the deflate implementation instead of zip.js's WebAssembly one.
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { configure } from '@zip.js/zip.js';

type Format = 'deflate' | 'deflate-raw' | 'gzip' | string;

class NodeCompressionStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  constructor(format: Format, options?: { level?: number }) {
    const level = options?.level ?? 6;
    const z = format === 'gzip' ? zlib.createGzip({ level }) : format === 'deflate' ? zlib.createDeflate({ level }) : zlib.createDeflateRaw({ level });
    const web = Duplex.toWeb(z) as unknown as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
    this.readable = web.readable;
    this.writable = web.writable;
  }
}

class NodeDecompressionStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  constructor(format: Format) {
    const z = format === 'gzip' ? zlib.createGunzip() : format === 'deflate' ? zlib.createInflate() : zlib.createInflateRaw();
    const web = Duplex.toWeb(z) as unknown as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
    this.readable = web.readable;
    this.writable = web.writable;
  }
}

let configured = false;

export function configureZip(): void {
  if (configured) return;
  configured = true;
  configure({
    useWebWorkers: false,
    useCompressionStream: true,
    CompressionStream: NodeCompressionStream as never,
    DecompressionStream: NodeDecompressionStream as never,
  });
}

/** Comet's CompressMode (COMPRESS_LVL_1 fastest ... COMPRESS_LVL_5 smallest) as a deflate level. */
export function deflateLevel(compression: number): number {
  return [6, 1, 3, 5, 6, 9][Math.min(5, Math.max(0, Math.trunc(compression) || 0))]!;
}
