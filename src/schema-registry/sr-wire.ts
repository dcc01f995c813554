// Confluent Schema Registry wire framing: magic byte 0, 4-byte big-endian schema id, then the payload; Protobuf
// payloads start with the message-index path (a zig-zag varint count, then zig-zag varint indexes; [0] is one 0 byte).
import { SchemaMismatchError } from './sr-errors';

export interface Frame {
  readonly schemaId: number;
  /** Everything after the 5-byte prefix. */
  readonly payload: Buffer;
}

export function readFrame(bytes: Buffer): Frame {
  if (bytes.length < 5) throw new SchemaMismatchError('SR_FRAME', `not a Schema Registry frame: ${bytes.length} byte(s), at least 5 expected`);
  if (bytes[0] !== 0) throw new SchemaMismatchError('SR_FRAME', `not a Schema Registry frame: magic byte is ${String(bytes[0])}, expected 0`);
  return { schemaId: bytes.readInt32BE(1), payload: bytes.subarray(5) };
}

export function writeFrame(schemaId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeInt32BE(schemaId, 1);
  return Buffer.concat([head, payload]);
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && shift < 35; i++) {
    const b = buf[i] as number;
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [(result >>> 1) ^ -(result & 1), i + 1];
    shift += 7;
  }
  throw new SchemaMismatchError('SR_FRAME', `malformed Protobuf message-index varint at payload offset ${pos}`);
}

function writeVarint(n: number, out: number[]): void {
  let v = ((n << 1) ^ (n >> 31)) >>> 0;
  while (v > 0x7f) { out.push((v & 0x7f) | 0x80); v >>>= 7; }
  out.push(v);
}

/** Splits a Protobuf payload into its message-index path and the message bytes. */
export function readMessageIndexes(payload: Buffer): { indexes: number[]; message: Buffer } {
  const [count, afterCount] = readVarint(payload, 0);
  if (count === 0) return { indexes: [0], message: payload.subarray(afterCount) };
  if (count < 0 || count > 64) throw new SchemaMismatchError('SR_FRAME', `implausible Protobuf message-index count ${count}`);
  const indexes: number[] = [];
  let pos = afterCount;
  for (let i = 0; i < count; i++) {
    const [idx, next] = readVarint(payload, pos);
    if (idx < 0) throw new SchemaMismatchError('SR_FRAME', `negative Protobuf message index at payload offset ${pos}`);
    indexes.push(idx);
    pos = next;
  }
  return { indexes, message: payload.subarray(pos) };
}

export function writeMessageIndexes(indexes: readonly number[], message: Buffer): Buffer {
  const out: number[] = [];
  if (indexes.length === 1 && indexes[0] === 0) out.push(0);
  else { writeVarint(indexes.length, out); for (const i of indexes) writeVarint(i, out); }
  return Buffer.concat([Buffer.from(out), message]);
}
