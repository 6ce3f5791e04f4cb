/**
 * seedrandom 3.0.5's xor4096 (Brent's xorgen with a Weyl sequence), re-written to fill typed
 * arrays in batches: the state lives in an Int32Array and locals, with no closure call per draw.
 * Seeding and every step are the library's, line for line, so for a string seed each `double()`
 * has the same bits as `seedrandom.xor4096(seed).double()` (proved against the library in
 * test/unit/xor4096.test.ts). Used by the simulation hot path; list generation keeps the library.
 */
export class Xor4096 {
  private readonly X = new Int32Array(128);
  private w = 0;
  private i = 0;
  /** Doubles produced in advance; `double()` hands them out in order. */
  private readonly buffer: Float64Array;
  private at: number;

  constructor(seed: string, bufferSize = 1024) {
    if (typeof seed !== 'string' || seed === '') throw new TypeError('Xor4096: the seed must be a non-empty string');
    this.buffer = new Float64Array(bufferSize);
    this.at = bufferSize;
    // init(me, seed) of seedrandom/lib/xor4096.js for a string seed.
    const X = this.X;
    const s = `${seed}\0`;
    let v = 0;
    let w = 0;
    let i = 0;
    let t: number;
    const limit = Math.max(128, s.length);
    for (let j = -32; j < limit; ++j) {
      v ^= s.charCodeAt((j + 32) % s.length);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        t = X[j & 127] ^= v + w;
        i = t === 0 ? i + 1 : 0;
      }
    }
    if (i >= 128) X[s.length & 127] = -1;
    i = 127;
    for (let j = 4 * 128; j > 0; --j) {
      let a = X[(i + 34) & 127];
      let b = X[(i = (i + 1) & 127)];
      a ^= a << 13;
      b ^= b << 17;
      a ^= a >>> 15;
      b ^= b >>> 12;
      X[i] = a ^ b;
    }
    this.w = w;
    this.i = i;
  }

  /** Fill out[from … to) with the next doubles of the stream (`prng.double()`: 53 bits, never 0). */
  fill(out: Float64Array, from = 0, to = out.length): void {
    const X = this.X;
    let w = this.w;
    let i = this.i;
    for (let k = from; k < to;) {
      // next(), twice: the high 21 bits of the first and all 32 of the second.
      w = (w + 0x61c88647) | 0;
      let v = X[(i + 34) & 127];
      let t = X[(i = (i + 1) & 127)];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = X[i] = v ^ t;
      const top = ((v + (w ^ (w >>> 16))) | 0) >>> 11;
      w = (w + 0x61c88647) | 0;
      v = X[(i + 34) & 127];
      t = X[(i = (i + 1) & 127)];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = X[i] = v ^ t;
      const bot = (((v + (w ^ (w >>> 16))) | 0) >>> 0) / 0x100000000;
      const result = (top + bot) / (1 << 21);
      if (result !== 0) out[k++] = result; // the library draws again on 0
    }
    this.w = w;
    this.i = i;
  }

  /**
   * Put the next doubles of the stream into out[from … to): first those already buffered by
   * `double()`, then fresh ones, so mixing `take` and `double` keeps the stream's order.
   */
  take(out: Float64Array, from = 0, to = out.length): void {
    let k = from;
    while (k < to && this.at < this.buffer.length) out[k++] = this.buffer[this.at++];
    if (k < to) this.fill(out, k, to);
  }

  /** The next double (from the buffer, refilled 1,024 at a time). */
  double(): number {
    if (this.at === this.buffer.length) {
      this.fill(this.buffer);
      this.at = 0;
    }
    return this.buffer[this.at++];
  }
}
