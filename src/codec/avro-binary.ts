// Avro binary encoding primitives (zig-zag varints, little-endian floats, length-prefixed bytes) for the AVRO serde.
import { isUtf8 } from 'node:buffer';
import { SerdeError } from '../errors';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * UTF-8 bytes of a string the way Java's `String.getBytes(UTF_8)` (Avro `Utf8`) produces them: an unpaired
 * surrogate becomes `?`, where Node would write U+FFFD.
 */
export function javaUtf8(s: string): Buffer {
  return Buffer.from(s.replace(LONE_SURROGATE, '?'), 'utf8');
}

const REPL = 0xfffd;
const cont = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Decodes bytes that are not valid UTF-8 the way Java's `new String(bytes, UTF_8)` (Avro `Utf8.toString`) does,
 * which differs from Node for encoded surrogates and truncated tails (JDK 17 `String.decodeUTF8_UTF16`).
 */
export function javaDecodeInvalidUtf8(b: Buffer, start: number, end: number): string {
  const out: number[] = [];
  let i = start;
  while (i < end) {
    const b1 = b[i++] as number;
    if (b1 < 0x80) {
      out.push(b1);
    } else if (b1 >= 0xc2 && b1 <= 0xdf) {
      const b2 = i < end ? b[i] : undefined;
      if (cont(b2)) { out.push(((b1 & 0x1f) << 6) | ((b2 as number) & 0x3f)); i++; } else out.push(REPL);
    } else if (b1 >= 0xe0 && b1 <= 0xef) {
      const b2 = b[i];
      const bad2 = (b2 !== undefined) && ((b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !cont(b2));
      if (i + 1 < end) {
        const b3 = b[i + 1];
        if (bad2 || !cont(b3)) {
          out.push(REPL);
          if (!bad2) i++;
        } else {
          const c = ((b1 & 0x0f) << 12) | (((b2 as number) & 0x3f) << 6) | ((b3 as number) & 0x3f);
          out.push(c >= 0xd800 && c <= 0xdfff ? REPL : c);
          i += 2;
        }
      } else if (i < end && bad2) {
        out.push(REPL);
      } else {
        out.push(REPL);
        break; // Java drops what is left of a truncated sequence at the end
      }
    } else if (b1 >= 0xf0 && b1 <= 0xf7) {
      const b2 = b[i];
      const bad2 = b2 !== undefined && (b1 > 0xf4 || (b1 === 0xf0 && (b2 < 0x90 || b2 > 0xbf))
        || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80) || !cont(b2));
      if (i + 2 < end) {
        const b3 = b[i + 1];
        const b4 = b[i + 2];
        const uc = ((b1 & 0x07) << 18) | (((b2 as number) & 0x3f) << 12) | (((b3 as number) & 0x3f) << 6) | ((b4 as number) & 0x3f);
        if (!cont(b2) || !cont(b3) || !cont(b4) || uc < 0x10000 || uc > 0x10ffff) {
          out.push(REPL);
          i += bad2 ? 0 : !cont(b3) ? 1 : 2;
        } else {
          out.push(0xd800 + ((uc - 0x10000) >> 10), 0xdc00 + ((uc - 0x10000) & 0x3ff));
          i += 3;
        }
      } else if (b1 > 0xf4 || (i < end && bad2)) {
        out.push(REPL);
      } else {
        out.push(REPL);
        i++;
        if (i < end && !cont(b[i])) continue;
        break;
      }
    } else {
      out.push(REPL);
    }
  }
  let s = '';
  for (let k = 0; k < out.length; k += 4096) s += String.fromCharCode(...out.slice(k, k + 4096));
  return s;
}

/** Growable output buffer writing Avro binary values. */
export class AvroWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  writeByte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  /** Zig-zag varint of a 64-bit signed value; plain numbers must be safe integers. */
  writeLong(v: number | bigint): void {
    if (typeof v === 'number' && v >= -0x40000000 && v <= 0x3fffffff) {
      // Fast path: the zig-zag value fits in 31 bits, so 32-bit arithmetic is exact.
      let n = ((v << 1) ^ (v >> 31)) >>> 0;
      this.reserve(5);
      while (n > 0x7f) {
        this.buf[this.pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.pos++] = n;
      return;
    }
    const big = BigInt(v);
    if (big < INT64_MIN || big > INT64_MAX) throw new RangeError('long out of 64-bit range');
    let n = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
    this.reserve(10);
    while (n > 0x7fn) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  writeDouble(v: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  writeBytes(bytes: Uint8Array): void {
    this.writeLong(bytes.length);
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  writeString(s: string): void {
    this.writeBytes(javaUtf8(s));
  }

  /** A copy of what has been written. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

function malformed(what: string, offset: number): SerdeError {
  return new SerdeError('SERDE_MALFORMED', `malformed AVRO plaintext: ${what} at byte offset ${offset}`);
}

/** Cursor over Avro binary input; every failure is a SerdeError naming the byte offset, never the content. */
export class AvroReader {
  pos: number;
  private readonly bytes: Buffer;

  constructor(bytes: Uint8Array, start = 0, private readonly end = bytes.length) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(what: string, offset = this.pos): SerdeError {
    return malformed(what, offset);
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) throw malformed(`truncated ${what}`, this.pos);
  }

  readByte(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }

  /** Zig-zag varint of up to 10 bytes, as Java's `BinaryDecoder.readLong`; a number when safe, else a bigint. */
  readLong(): number | bigint {
    const start = this.pos;
    let b = this.readByte('long');
    let lo = b & 0x7f;
    let shift = 7;
    // Up to 4 bytes (28 bits) stay exact in 32-bit arithmetic.
    while (b > 0x7f && shift < 28) {
      b = this.readByte('long');
      lo |= (b & 0x7f) << shift;
      shift += 7;
    }
    if (b <= 0x7f) return (lo >>> 1) ^ -(lo & 1);
    let n = BigInt(lo >>> 0);
    let bshift = 28n;
    do {
      if (bshift >= 70n) throw malformed('invalid long encoding', start);
      b = this.readByte('long');
      n |= BigInt(b & 0x7f) << bshift;
      bshift += 7n;
    } while (b > 0x7f);
    n = BigInt.asUintN(64, n);
    const v = BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** Zig-zag varint of up to 5 bytes, keeping the low 32 bits as Java's `readInt` does. */
  readInt(): number {
    const start = this.pos;
    let n = 0;
    for (let i = 0; ; i++) {
      if (i === 5) throw malformed('invalid int encoding', start);
      const b = this.readByte('int');
      n |= (b & 0x7f) << (7 * i);
      if (b <= 0x7f) break;
    }
    return (n >>> 1) ^ -(n & 1);
  }

  /** A length or count that must be a non-negative safe integer. */
  readLength(what: string): number {
    const start = this.pos;
    const n = this.readLong();
    if (typeof n !== 'number' || n < 0) throw malformed(`invalid ${what} length`, start);
    return n;
  }

  readBoolean(): boolean {
    // Java's BinaryDecoder treats any byte other than 1 as false.
    return this.readByte('boolean') === 1;
  }

  readFloat(): number {
    this.need(4, 'float');
    const v = this.bytes.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  readDouble(): number {
    this.need(8, 'double');
    const v = this.bytes.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  readFixed(size: number, what: string): Buffer {
    this.need(size, what);
    const out = this.bytes.subarray(this.pos, this.pos + size);
    this.pos += size;
    return out;
  }

  readBytes(): Buffer {
    return this.readFixed(this.readLength('bytes'), 'bytes');
  }

  readString(): string {
    const len = this.readLength('string');
    this.need(len, 'string');
    const end = this.pos + len;
    const s = isUtf8(this.bytes.subarray(this.pos, end))
      ? this.bytes.toString('utf8', this.pos, end)
      : javaDecodeInvalidUtf8(this.bytes, this.pos, end);
    this.pos = end;
    return s;
  }
}
