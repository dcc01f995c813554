// Legacy "k1" field envelope (Kryptonite <= 0.6): Kryo writeObject(EncryptedField), read-only in production paths.
//
// FieldSerializer writes fields sorted by name, without a leading class marker for EncryptedField itself:
//   ciphertext  byte[]           varint(len+1) then the bytes (00 = null)
//   metaData    PayloadMetaData  class marker 0C (registration id 10), then its fields:
//     algorithmId, keyId, version   Kryo strings
import { SerdeError } from '../errors';
import { KryoInput } from './kryo-input';
import { KryoOutput } from './kryo-output';
import { KryoId } from './kryo-registry';

export interface K1Envelope {
  ciphertext: Buffer;
  algorithmId: string;
  keyId: string;
  version: string;
}

const PAYLOAD_META_DATA_MARKER = KryoId.PAYLOAD_META_DATA + 2;

export function decodeK1Envelope(bytes: Uint8Array): K1Envelope {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const input = new KryoInput(buf);
  try {
    const length = input.readVarUint();
    if (length === 0) throw malformed('null ciphertext', 0);
    const ciphertext = input.readBytes(length - 1, 'ciphertext');
    const markerAt = input.pos;
    const marker = input.readVarUint();
    if (marker === 0) throw malformed('null metadata', markerAt);
    if (marker !== PAYLOAD_META_DATA_MARKER) {
      throw malformed(`metadata class marker 0x${marker.toString(16)} (expected 0x0c, PayloadMetaData)`, markerAt);
    }
    const algorithmId = requiredString(input, 'algorithmId');
    const keyId = requiredString(input, 'keyId');
    const version = requiredString(input, 'version');
    if (input.remaining !== 0) throw malformed(`${input.remaining} trailing byte(s)`, input.pos);
    return { ciphertext, algorithmId, keyId, version };
  } catch (err) {
    if (err instanceof SerdeError && err.code === 'KRYO_MALFORMED') {
      throw new SerdeError('K1_ENVELOPE_MALFORMED', `not a valid k1 envelope: ${err.message}`);
    }
    throw err;
  }
}

/** Kryo bytes of a k1 envelope. Only for tests and tooling: Kryptonite 0.7.0 and this library never write k1. */
export function encodeK1Envelope(envelope: K1Envelope): Buffer {
  const out = new KryoOutput(64 + envelope.ciphertext.length);
  out.writeVarUint(envelope.ciphertext.length + 1);
  out.writeBytes(envelope.ciphertext);
  out.writeVarUint(PAYLOAD_META_DATA_MARKER);
  out.writeString(envelope.algorithmId);
  out.writeString(envelope.keyId);
  out.writeString(envelope.version);
  return out.toBuffer();
}

function requiredString(input: KryoInput, field: string): string {
  const at = input.pos;
  const s = input.readString();
  if (s === null) throw malformed(`null ${field}`, at);
  return s;
}

function malformed(what: string, at: number): SerdeError {
  return new SerdeError('K1_ENVELOPE_MALFORMED', `not a valid k1 envelope: ${what} at offset ${at}`);
}
