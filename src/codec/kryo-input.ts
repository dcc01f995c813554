// Byte reader for Kryo 5.6.2 `Input` encodings; every read is bounds-checked and fails with a SerdeError naming the offset.
import { isAscii } from 'node:buffer';
import { SerdeError } from '../errors';

const TWO_POW_28 = 0x1000_0000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Scratch for decoding non-ASCII strings into UTF-16 units; grown on demand, shared because decoding is synchronous.
let units = new Uint16Array(256);

export class KryoInput {
  pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** A malformed-input error at the current (or given) offset; never includes the bytes themselves. */
  malformed(what: string, at = this.pos): SerdeError {
    return new SerdeError('KRYO_MALFORMED', `malformed Kryo data at offset ${at}: ${what}`);
  }

  private need(n: number, what: string): void {
    if (this.buf.length - this.pos < n) {
      throw this.malformed(`truncated ${what} (needs ${n} byte(s), ${this.buf.length - this.pos} left)`);
    }
  }

  readByte(): number {
    if (this.pos >= this.buf.length) throw this.malformed('truncated input (needs 1 byte, 0 left)');
    return this.buf[this.pos++] as number;
  }

  /** Next byte without consuming it. */
  peekByte(): number {
    if (this.pos >= this.buf.length) throw this.malformed('truncated input (needs 1 byte, 0 left)');
    return this.buf[this.pos] as number;
  }

  readBytes(n: number, what: string): Buffer {
    this.need(n, what);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** Kryo `readVarInt(true)`: up to 5 bytes, result as an unsigned 32-bit number. */
  readVarUint(): number {
    const buf = this.buf;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= buf.length) throw this.malformed('truncated varint');
      const b = buf[this.pos++] as number;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    return result >>> 0;
  }

  /** Kryo `readVarInt(false)`: zigzag-decoded int32. */
  readVarIntZigZag(): number {
    const u = this.readVarUint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Flag bit of the last `readVarIntFlag` (kept on the reader so the hot path allocates no tuple). */
  lastFlag = false;

  /** Kryo `readVarIntFlag(true)`: 6 value bits, "more" bit, flag bit, then 7-bit groups. */
  readVarIntFlag(): number {
    const first = this.readByte();
    this.lastFlag = (first & 0x80) !== 0;
    let result = first & 0x3f;
    // Up to four continuation bytes, as Kryo reads them (shifts 6, 13, 20, 27).
    let b = first << 1; // bit 7 of `first` ("more") moved into the position the loop tests
    for (let shift = 6; shift <= 27 && (b & 0x80) !== 0; shift += 7) {
      b = this.readByte();
      result |= (b & 0x7f) << shift;
    }
    return result >>> 0;
  }

  /** Kryo `readVarLong(false)`: a number when |v| <= 2^53-1, otherwise a bigint (exact int64). */
  readVarLongZigZag(): number | bigint {
    const buf = this.buf;
    let lo = 0; // bits 0..27
    let hi = 0; // bits 28..63 as a number (< 2^36)
    let b = 0x80;
    let i = 0;
    for (; i < 4 && (b & 0x80) !== 0; i++) {
      if (this.pos >= buf.length) throw this.malformed('truncated varlong');
      b = buf[this.pos++] as number;
      lo |= (b & 0x7f) << (7 * i);
    }
    let hiShift = 1;
    for (; i < 9 && (b & 0x80) !== 0; i++) {
      if (this.pos >= buf.length) throw this.malformed('truncated varlong');
      b = buf[this.pos++] as number;
      // The 9th byte contributes all 8 bits (Kryo's long form has no continuation bit there).
      hi += (i === 8 ? b : b & 0x7f) * hiShift;
      hiShift *= 128;
    }
    if (hi < 0x200000) {
      // u < 2^49: exact in double arithmetic, and so is its zigzag decoding.
      const u = hi * TWO_POW_28 + lo;
      return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
    const u = (BigInt(hi) << 28n) | BigInt(lo);
    const v = BigInt.asIntN(64, (u >> 1n) ^ -(u & 1n));
    return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
  }

  readInt16LE(): number {
    this.need(2, 'short');
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  readUint16LE(): number {
    this.need(2, 'char');
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  readInt32LE(): number {
    this.need(4, 'int');
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  readFloat32LE(): number {
    this.need(4, 'float');
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  readFloat64LE(): number {
    this.need(8, 'double');
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Kryo `readBoolean`: exactly 1 is true, any other byte false (as in Java). */
  readBoolean(): boolean {
    return this.readByte() === 1;
  }

  /** Kryo `readString`: null, ASCII form (last byte has bit 7), or length form with CESU-8-style units. */
  readString(): string | null {
    const start = this.pos;
    const first = this.peekByte();
    if ((first & 0x80) === 0) return this.readAscii(start);
    const count = this.readVarIntFlag();
    if (count === 0) return null;
    if (count === 1) return '';
    return this.readUnits(count - 1, start);
  }

  private readAscii(start: number): string {
    const buf = this.buf;
    let p = start;
    while (p < buf.length && ((buf[p] as number) & 0x80) === 0) p++;
    if (p >= buf.length) throw this.malformed('unterminated ASCII string', start);
    const last = String.fromCharCode((buf[p] as number) & 0x7f);
    this.pos = p + 1;
    return p === start ? last : asciiSlice(buf, start, p) + last;
  }

  private readUnits(charCount: number, start: number): string {
    const buf = this.buf;
    const len = buf.length;
    const p0 = this.pos;
    if (charCount > len - p0) throw this.malformed(`truncated string (${charCount} UTF-16 units announced)`, start);
    // Long ASCII text (the common case for large fields): one native check instead of a loop over every byte.
    if (charCount > 32 && isAscii(buf.subarray(p0, p0 + charCount))) {
      this.pos = p0 + charCount;
      return buf.toString('latin1', p0, p0 + charCount);
    }
    // One structural pass finds the end; it also notes whether standard UTF-8 decoding would yield the same units
    // (no surrogate halves, no overlong or sloppy continuation bytes, which Kryo's decoder tolerates).
    let p = p0;
    let ascii = true;
    let utf8 = true;
    for (let i = 0; i < charCount; i++) {
      if (p >= len) throw this.malformed(`truncated string (${charCount} UTF-16 units announced)`, start);
      const b = buf[p] as number;
      if (b < 0x80) {
        p++;
        continue;
      }
      ascii = false;
      const kind = b >> 4;
      if (kind === 12 || kind === 13) {
        if (p + 1 >= len) throw this.malformed('truncated string', start);
        if (b < 0xc2 || ((buf[p + 1] as number) & 0xc0) !== 0x80) utf8 = false;
        p += 2;
      } else if (kind === 14) {
        if (p + 2 >= len) throw this.malformed('truncated string', start);
        const b1 = buf[p + 1] as number;
        if ((b1 & 0xc0) !== 0x80 || ((buf[p + 2] as number) & 0xc0) !== 0x80 || (b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 >= 0xa0)) {
          utf8 = false;
        }
        p += 3;
      } else {
        throw this.malformed(`invalid string byte 0x${b.toString(16)}`, p);
      }
    }
    this.pos = p;
    if (ascii) return asciiSlice(buf, p0, p);
    if (utf8) return buf.toString('utf8', p0, p);
    return decodeUnits(buf, p0, charCount);
  }

}

/** Bytes < 0x80 as a string; short keys and values are cheaper to build in JS than through Buffer#toString. */
function asciiSlice(buf: Buffer, start: number, end: number): string {
  if (end - start > 12) return buf.toString('latin1', start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i] as number);
  return s;
}

/** Kryo's per-unit decoding (1–3 bytes each, continuation bits masked), for input already checked by `readUnits`. */
function decodeUnits(buf: Buffer, p: number, n: number): string {
  if (units.length < n) units = new Uint16Array(Math.max(n, units.length * 2));
  const out = units;
  for (let i = 0; i < n; i++) {
    const b = buf[p++] as number;
    if (b < 0x80) {
      out[i] = b;
    } else if (b < 0xe0) {
      out[i] = ((b & 0x1f) << 6) | ((buf[p++] as number) & 0x3f);
    } else {
      out[i] = ((b & 0x0f) << 12) | (((buf[p] as number) & 0x3f) << 6) | ((buf[p + 1] as number) & 0x3f);
      p += 2;
    }
  }
  return unitsToString(out, n);
}

function unitsToString(u: Uint16Array, n: number): string {
  const CHUNK = 8192;
  if (n <= CHUNK) return String.fromCharCode.apply(null, u.subarray(0, n) as unknown as number[]);
  let s = '';
  for (let i = 0; i < n; i += CHUNK) {
    s += String.fromCharCode.apply(null, u.subarray(i, Math.min(n, i + CHUNK)) as unknown as number[]);
  }
  return s;
}
