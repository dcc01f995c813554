// Byte writer reproducing Kryo 5.6.2 `Output` encodings (varints, zigzag, flagged varints, Kryo strings, fixed LE numbers).

const SURROGATE = /[\uD800-\uDFFF]/;
const TWO_POW_32 = 0x1_0000_0000;
const MASK_64 = (1n << 64n) - 1n;

export class KryoOutput {
  private buf: Buffer;
  pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** Size of the backing buffer (lets a pooled writer decide whether to keep it). */
  get capacity(): number {
    return this.buf.length;
  }

  reset(): void {
    this.pos = 0;
  }

  /** A copy of the written bytes, independent of this writer's buffer so the writer can be reused. */
  toBuffer(): Buffer {
    const n = this.pos;
    const out = Buffer.allocUnsafe(n);
    // Buffer#copy crosses into C++; for the typical few-byte field value a JS loop is cheaper.
    if (n <= 32) for (let i = 0; i < n; i++) out[i] = this.buf[i] as number;
    else this.buf.copy(out, 0, 0, n);
    return out;
  }

  private require(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  writeByte(b: number): void {
    if (this.pos === this.buf.length) this.require(1);
    this.buf[this.pos++] = b;
  }

  writeBytes(bytes: Uint8Array): void {
    this.require(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Unsigned varint of a 32-bit value (lengths, counts, class markers). */
  writeVarUint(value: number): void {
    this.require(5);
    const buf = this.buf;
    let v = value >>> 0;
    let p = this.pos;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /** Kryo `writeVarInt(value, false)`: zigzag then varint (Integer values). */
  writeVarIntZigZag(value: number): void {
    this.writeVarUint((value << 1) ^ (value >> 31));
  }

  /** Kryo `writeVarIntFlag(flag, value, true)`: 6 value bits + "more" bit + flag bit, then a plain varint. */
  writeVarIntFlag(flag: boolean, value: number): void {
    const v = value >>> 0;
    const first = (v & 0x3f) | (flag ? 0x80 : 0);
    if (v >>> 6 === 0) {
      this.writeByte(first);
      return;
    }
    this.writeByte(first | 0x40);
    this.writeVarUint(v >>> 6);
  }

  /**
   * Kryo `writeVarLong(value, false)`. Numbers must be safe integers; bigints must be in int64 range (checked by the caller).
   * Values whose zigzag form stays below 2^53 take a number-only path; the rest go through BigInt for exact 64-bit maths.
   */
  writeVarLongZigZag(value: number | bigint): void {
    if (typeof value === 'number') {
      const u = value >= 0 ? value * 2 : -value * 2 - 1;
      if (u <= Number.MAX_SAFE_INTEGER) {
        this.writeVarUlongNumber(u);
        return;
      }
      value = BigInt(value);
    }
    const zz = ((value << 1n) ^ (value >> 63n)) & MASK_64;
    this.writeVarUlongBig(zz);
  }

  private writeVarUlongNumber(u: number): void {
    // u < 2^53 never reaches the 9-byte form (needs >= 2^56), so plain 7-bit groups suffice.
    this.require(8);
    const buf = this.buf;
    let p = this.pos;
    while (u >= TWO_POW_32) {
      buf[p++] = (u % 128) | 0x80;
      u = Math.floor(u / 128);
    }
    let v = u >>> 0;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  private writeVarUlongBig(u: bigint): void {
    this.require(9);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < 8; i++) {
      if (u < 0x80n) {
        buf[p++] = Number(u);
        this.pos = p;
        return;
      }
      buf[p++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    // Kryo's 9th byte carries 8 raw bits, no continuation flag.
    buf[p++] = Number(u & 0xffn);
    this.pos = p;
  }

  writeInt32LE(value: number): void {
    this.require(4);
    this.buf.writeInt32LE(value | 0, this.pos);
    this.pos += 4;
  }

  writeFloat64LE(value: number): void {
    this.require(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  writeBoolean(value: boolean): void {
    this.writeByte(value ? 1 : 0);
  }

  /** Kryo `Output.writeString`: null, empty, short-ASCII fast form, or UTF-16-unit count + CESU-8-style bytes. */
  writeString(value: string | null): void {
    if (value === null) {
      this.writeByte(0x80);
      return;
    }
    const n = value.length;
    if (n === 0) {
      this.writeByte(0x81);
      return;
    }
    if (n > 1 && n <= 32 && this.tryWriteShortAscii(value, n)) return;
    this.writeVarIntFlag(true, n + 1);
    this.require(n * 3);
    if (!SURROGATE.test(value)) {
      // Without surrogates Kryo's per-unit encoding is exactly UTF-8 (NUL included), so the native encoder can do it.
      this.pos += this.buf.write(value, this.pos, 'utf8');
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c <= 0x7f) {
        buf[p++] = c;
      } else if (c <= 0x7ff) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
      } else {
        buf[p++] = 0xe0 | (c >> 12);
        buf[p++] = 0x80 | ((c >> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = p;
  }

  private tryWriteShortAscii(value: string, n: number): boolean {
    // Writes optimistically and backs out on the first non-ASCII unit (the bytes past `pos` are simply overwritten later).
    this.require(n);
    const buf = this.buf;
    const p = this.pos;
    let c = 0;
    for (let i = 0; i < n; i++) {
      c = value.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[p + i] = c;
    }
    buf[p + n - 1] = c | 0x80;
    this.pos = p + n;
    return true;
  }

}
