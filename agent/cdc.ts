// Content-defined chunking (FastCDC-style Gear hash with normalised chunking): boundaries depend on the
// bytes around them, not on offsets, so an insertion early in a file only changes the chunks near it
// and the rest deduplicate against the previous backup.
import { createHash } from 'node:crypto';

export type ChunkerOptions = { minSize: number; avgSize: number; maxSize: number };
export const DEFAULT_CHUNKING: ChunkerOptions = { minSize: 16 * 1024, avgSize: 64 * 1024, maxSize: 256 * 1024 };

/** 256 pseudo-random 32-bit values, fixed forever (chunk boundaries must not change between versions). */
const GEAR: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) table[i] = createHash('sha256').update(`halley-gear-${i}`).digest().readUInt32LE(0);
  return table;
})();

function maskOfBits(bits: number): number {
  // Spread the bits over the high half, where the Gear hash has seen the most bytes.
  let mask = 0;
  for (let i = 0; i < bits; i++) mask |= 1 << (31 - i * 2 + (i >= 16 ? 33 : 0));
  return mask >>> 0;
}

export class Chunker {
  private readonly maskS: number;
  private readonly maskL: number;
  private pending: Buffer = Buffer.alloc(0);

  constructor(readonly opts: ChunkerOptions = DEFAULT_CHUNKING) {
    if (!(opts.minSize > 0 && opts.minSize <= opts.avgSize && opts.avgSize <= opts.maxSize)) throw new Error('invalid chunk sizes');
    const bits = Math.round(Math.log2(opts.avgSize));
    this.maskS = maskOfBits(bits + 1); // harder to match before the average size
    this.maskL = maskOfBits(bits - 1); // easier after it
  }

  /** Where the first chunk of `buf` ends (buf.length when no boundary is found within maxSize). */
  cutPoint(buf: Buffer): number {
    const { minSize, avgSize, maxSize } = this.opts;
    const n = Math.min(buf.length, maxSize);
    if (n <= minSize) return n;
    let h = 0;
    const normal = Math.min(avgSize, n);
    let i = minSize;
    for (; i < normal; i++) {
      h = ((h << 1) + GEAR[buf[i]]) >>> 0;
      if ((h & this.maskS) === 0) return i + 1;
    }
    for (; i < n; i++) {
      h = ((h << 1) + GEAR[buf[i]]) >>> 0;
      if ((h & this.maskL) === 0) return i + 1;
    }
    return n;
  }

  /** Feeds data; returns the chunks that are complete. */
  push(data: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    const out: Buffer[] = [];
    while (this.pending.length >= this.opts.maxSize) {
      const cut = this.cutPoint(this.pending);
      out.push(this.pending.subarray(0, cut));
      this.pending = this.pending.subarray(cut);
    }
    return out;
  }

  /** The rest, at the end of the stream. */
  finish(): Buffer[] {
    const out: Buffer[] = [];
    while (this.pending.length > 0) {
      const cut = this.cutPoint(this.pending);
      out.push(this.pending.subarray(0, cut));
      this.pending = this.pending.subarray(cut);
    }
    return out;
  }
}

/** All chunks of one buffer. */
export function chunkBuffer(data: Buffer, opts: ChunkerOptions = DEFAULT_CHUNKING): Buffer[] {
  const c = new Chunker(opts);
  return [...c.push(data), ...c.finish()];
}
