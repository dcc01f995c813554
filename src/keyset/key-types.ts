// The three key types Kryptonite uses, their type URLs and the bytes inside `keyData.value`
// (AesGcmKey / AesSivKey protobufs, raw bytes for the FPE key).

import { ProtoDecodeError, ProtoWriter, WIRE_BYTES, WIRE_VARINT, readFields } from './protobuf';

export const AES_GCM_TYPE_URL = 'type.googleapis.com/google.crypto.tink.AesGcmKey';
export const AES_SIV_TYPE_URL = 'type.googleapis.com/google.crypto.tink.AesSivKey';
export const FPE_TYPE_URL = 'io.github.hpgrahsl.kryptonite/crypto.custom.mysto.fpe.FpeKey';

export type KeyKind = 'AES_GCM' | 'AES_SIV' | 'FPE';

interface KeyTypeSpec {
  kind: KeyKind;
  name: string;
  sizes: readonly number[];
  /** proto field number of key_value; undefined for FPE's raw bytes */
  keyValueField: number | undefined;
}

const KEY_TYPES: ReadonlyMap<string, KeyTypeSpec> = new Map([
  [AES_GCM_TYPE_URL, { kind: 'AES_GCM', name: 'AesGcmKey', sizes: [16, 32], keyValueField: 3 }],
  [AES_SIV_TYPE_URL, { kind: 'AES_SIV', name: 'AesSivKey', sizes: [64], keyValueField: 2 }],
  [FPE_TYPE_URL, { kind: 'FPE', name: 'FpeKey', sizes: [16, 24, 32], keyValueField: undefined }],
]);

export function keyTypeSpec(typeUrl: string): KeyTypeSpec | undefined {
  return KEY_TYPES.get(typeUrl);
}

export function typeUrlOf(kind: KeyKind): string {
  return kind === 'AES_GCM' ? AES_GCM_TYPE_URL : kind === 'AES_SIV' ? AES_SIV_TYPE_URL : FPE_TYPE_URL;
}

/** Thrown for a `keyData.value` that does not hold a usable key; message never includes key bytes. */
export class KeyValueError extends Error {}

/**
 * Extracts the raw key bytes from `keyData.value`. AES protos: version must be 0, key_value is taken from
 * its field, unknown fields are ignored (proto3 forward compatibility, as Tink does).
 */
export function decodeKeyValue(typeUrl: string, value: Uint8Array): Buffer {
  const spec = KEY_TYPES.get(typeUrl);
  if (spec === undefined) throw new KeyValueError(`unknown key type url '${typeUrl}'`);
  let raw: Buffer;
  if (spec.keyValueField === undefined) {
    raw = Buffer.from(value);
  } else {
    let fields;
    try {
      fields = readFields(value);
    } catch (e) {
      throw new KeyValueError(`${spec.name} protobuf is malformed: ${e instanceof ProtoDecodeError ? e.message : 'unreadable'}`);
    }
    let version = 0;
    let keyValue: Buffer | undefined;
    for (const f of fields) {
      if (f.field === 1 && f.wireType === WIRE_VARINT) version = f.value;
      else if (f.field === spec.keyValueField && f.wireType === WIRE_BYTES) keyValue = f.value; // last one wins, like protobuf
      else if (f.field === 1 || f.field === spec.keyValueField) throw new KeyValueError(`${spec.name} field ${f.field} has the wrong wire type`);
    }
    if (version !== 0) throw new KeyValueError(`${spec.name} version ${version} is not supported (only 0)`);
    raw = Buffer.from(keyValue ?? Buffer.alloc(0));
  }
  if (!spec.sizes.includes(raw.length)) {
    raw.fill(0);
    throw new KeyValueError(`${spec.name} key must be ${spec.sizes.join(' or ')} bytes, got ${raw.length}`);
  }
  return raw;
}

/** Builds `keyData.value` for raw key bytes of the given kind (version 0, omitted as proto3 does). */
export function encodeKeyValue(kind: KeyKind, raw: Uint8Array): Buffer {
  if (kind === 'FPE') return Buffer.from(raw);
  return new ProtoWriter().bytes(kind === 'AES_GCM' ? 3 : 2, raw).finish();
}
