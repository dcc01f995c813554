// Minimal proto3 wire-format reader and writer: just varints and length-delimited fields, which is all
// the Tink keyset and key messages use. Unknown fields are skipped on read, as protobuf requires.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export type ProtoField =
  | { field: number; wireType: typeof WIRE_VARINT; value: number }
  | { field: number; wireType: typeof WIRE_BYTES; value: Buffer }
  | { field: number; wireType: typeof WIRE_FIXED64 | typeof WIRE_FIXED32; value: Buffer };

/** Raised for malformed wire bytes; callers turn it into a KeysetError with context. */
export class ProtoDecodeError extends Error {}

/**
 * Reads every field of one message. Varints are returned as their low 32 bits, unsigned — protobuf's
 * own rule for uint32 and enum fields, the only varint types in these messages.
 */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: ProtoField[] = [];
  let pos = 0;
  const varint = (): number => {
    let lo = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= buf.length) throw new ProtoDecodeError(`truncated varint at byte ${pos}`);
      const b = buf[pos++]!;
      if (shift < 32) lo |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return lo >>> 0;
    }
    throw new ProtoDecodeError(`varint longer than 10 bytes at byte ${pos}`);
  };
  const take = (n: number): Buffer => {
    if (n > buf.length - pos) throw new ProtoDecodeError(`field of ${n} bytes runs past the end at byte ${pos}`);
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < buf.length) {
    const at = pos;
    const tag = varint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) throw new ProtoDecodeError(`field number 0 at byte ${at}`);
    switch (wireType) {
      case WIRE_VARINT: fields.push({ field, wireType, value: varint() }); break;
      case WIRE_BYTES: fields.push({ field, wireType, value: take(varint()) }); break;
      case WIRE_FIXED64: fields.push({ field, wireType, value: take(8) }); break;
      case WIRE_FIXED32: fields.push({ field, wireType, value: take(4) }); break;
      default: throw new ProtoDecodeError(`unsupported wire type ${wireType} at byte ${at}`);
    }
  }
  return fields;
}

/** Appends fields in call order; proto3 defaults (0, empty) are omitted like the reference encoders do. */
export class ProtoWriter {
  readonly #parts: Buffer[] = [];

  uint32(field: number, value: number): this {
    if (value !== 0) this.#parts.push(encodeVarint((field << 3) | WIRE_VARINT), encodeVarint(value));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.length > 0) this.#parts.push(encodeVarint((field << 3) | WIRE_BYTES), encodeVarint(value.length), Buffer.from(value));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** An embedded message is written even when empty: presence matters for message fields. */
  message(field: number, encoded: Uint8Array): this {
    this.#parts.push(encodeVarint((field << 3) | WIRE_BYTES), encodeVarint(encoded.length), Buffer.from(encoded));
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

export function encodeVarint(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`varint value out of uint32 range: ${value}`);
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
