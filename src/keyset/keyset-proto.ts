// Tink's keyset protobufs (§8.4): Keyset/Key/KeyData, KeysetInfo/KeyInfo and EncryptedKeyset.
// The serialized Keyset is what a key-encryption key encrypts.

import {
  KEY_MATERIAL_TYPES, KEY_STATUSES, OUTPUT_PREFIX_TYPES, enumName, isEnumName, keysetError,
  type KeyDraft, type KeysetContext, type KeysetDraft,
} from './keyset-model';
import { ProtoDecodeError, ProtoWriter, WIRE_BYTES, WIRE_VARINT, readFields, type ProtoField } from './protobuf';

interface KeyLike {
  keyId: number;
  status: string;
  outputPrefixType: string;
  typeUrl: string;
  keyMaterialType: string;
}

const enumNumber = (table: Record<string, number>, name: string): number => (isEnumName(table, name) ? table[name]! : 0);

function fieldsOf(bytes: Uint8Array, ctx: KeysetContext, where: string): ProtoField[] {
  try {
    return readFields(bytes);
  } catch (e) {
    throw keysetError('KEYSET_MALFORMED', ctx, where, `protobuf is malformed (${e instanceof ProtoDecodeError ? e.message : 'unreadable'})`);
  }
}

function expectWire(f: ProtoField, wire: number, ctx: KeysetContext, where: string): void {
  if (f.wireType !== wire) throw keysetError('KEYSET_MALFORMED', ctx, where, `field ${f.field} has wire type ${f.wireType}, expected ${wire}`);
}

export function encodeKeysetProto(primaryKeyId: number, keys: readonly (KeyLike & { value: Buffer })[]): Buffer {
  const w = new ProtoWriter().uint32(1, primaryKeyId);
  for (const k of keys) {
    const keyData = new ProtoWriter()
      .string(1, k.typeUrl)
      .bytes(2, k.value)
      .uint32(3, enumNumber(KEY_MATERIAL_TYPES, k.keyMaterialType))
      .finish();
    w.message(2, new ProtoWriter()
      .message(1, keyData)
      .uint32(2, enumNumber(KEY_STATUSES, k.status))
      .uint32(3, k.keyId)
      .uint32(4, enumNumber(OUTPUT_PREFIX_TYPES, k.outputPrefixType))
      .finish());
  }
  return w.finish();
}

export function decodeKeysetProto(bytes: Uint8Array, ctx: KeysetContext): KeysetDraft {
  let primaryKeyId = 0;
  const keys: KeyDraft[] = [];
  for (const f of fieldsOf(bytes, ctx, 'Keyset')) {
    if (f.field === 1) {
      expectWire(f, WIRE_VARINT, ctx, 'Keyset.primary_key_id');
      primaryKeyId = f.value as number;
    } else if (f.field === 2) {
      const path = `key[${keys.length}]`;
      expectWire(f, WIRE_BYTES, ctx, path);
      keys.push(decodeKey(f.value as Buffer, path, ctx));
    }
  }
  return { primaryKeyId, keys };
}

function decodeKey(bytes: Buffer, path: string, ctx: KeysetContext): KeyDraft {
  const key: KeyDraft = { path, keyId: 0, status: 'UNKNOWN_STATUS', outputPrefixType: 'UNKNOWN_PREFIX', typeUrl: '', value: Buffer.alloc(0), keyMaterialType: 'UNKNOWN_KEYMATERIAL' };
  for (const f of fieldsOf(bytes, ctx, path)) {
    switch (f.field) {
      case 1:
        expectWire(f, WIRE_BYTES, ctx, `${path}.key_data`);
        for (const d of fieldsOf(f.value as Buffer, ctx, `${path}.key_data`)) {
          if (d.field === 1) { expectWire(d, WIRE_BYTES, ctx, `${path}.key_data.type_url`); key.typeUrl = (d.value as Buffer).toString('utf8'); }
          else if (d.field === 2) { expectWire(d, WIRE_BYTES, ctx, `${path}.key_data.value`); key.value = Buffer.from(d.value as Buffer); }
          else if (d.field === 3) { expectWire(d, WIRE_VARINT, ctx, `${path}.key_data.key_material_type`); key.keyMaterialType = enumName(KEY_MATERIAL_TYPES, d.value as number); }
        }
        break;
      case 2: expectWire(f, WIRE_VARINT, ctx, `${path}.status`); key.status = f.value === 0 ? 'UNKNOWN_STATUS' : enumName(KEY_STATUSES, f.value as number); break;
      case 3: expectWire(f, WIRE_VARINT, ctx, `${path}.key_id`); key.keyId = f.value as number; break;
      case 4: expectWire(f, WIRE_VARINT, ctx, `${path}.output_prefix_type`); key.outputPrefixType = f.value === 0 ? 'UNKNOWN_PREFIX' : enumName(OUTPUT_PREFIX_TYPES, f.value as number); break;
      default: break;
    }
  }
  return key;
}

export interface KeysetInfoData {
  primaryKeyId: number;
  keyInfo: KeyLike[];
}

export function encodeKeysetInfoProto(info: { primaryKeyId: number; keyInfo: readonly Omit<KeyLike, 'keyMaterialType'>[] }): Buffer {
  const w = new ProtoWriter().uint32(1, info.primaryKeyId);
  for (const k of info.keyInfo) {
    w.message(2, new ProtoWriter()
      .string(1, k.typeUrl)
      .uint32(2, enumNumber(KEY_STATUSES, k.status))
      .uint32(3, k.keyId)
      .uint32(4, enumNumber(OUTPUT_PREFIX_TYPES, k.outputPrefixType))
      .finish());
  }
  return w.finish();
}

export function decodeKeysetInfoProto(bytes: Uint8Array, ctx: KeysetContext): { primaryKeyId: number; keyInfo: Omit<KeyLike, 'keyMaterialType'>[] } {
  let primaryKeyId = 0;
  const keyInfo: Omit<KeyLike, 'keyMaterialType'>[] = [];
  for (const f of fieldsOf(bytes, ctx, 'KeysetInfo')) {
    if (f.field === 1 && f.wireType === WIRE_VARINT) primaryKeyId = f.value;
    else if (f.field === 2 && f.wireType === WIRE_BYTES) {
      const k = { typeUrl: '', status: 'UNKNOWN_STATUS', keyId: 0, outputPrefixType: 'UNKNOWN_PREFIX' };
      for (const g of fieldsOf(f.value, ctx, `keyInfo[${keyInfo.length}]`)) {
        if (g.field === 1 && g.wireType === WIRE_BYTES) k.typeUrl = g.value.toString('utf8');
        else if (g.field === 2 && g.wireType === WIRE_VARINT) k.status = enumName(KEY_STATUSES, g.value);
        else if (g.field === 3 && g.wireType === WIRE_VARINT) k.keyId = g.value;
        else if (g.field === 4 && g.wireType === WIRE_VARINT) k.outputPrefixType = enumName(OUTPUT_PREFIX_TYPES, g.value);
      }
      keyInfo.push(k);
    }
  }
  return { primaryKeyId, keyInfo };
}

/** EncryptedKeyset { bytes encrypted_keyset = 2; KeysetInfo keyset_info = 3; } — Tink's binary encrypted form. */
export function encodeEncryptedKeysetProto(encryptedKeyset: Uint8Array, keysetInfo: Uint8Array): Buffer {
  return new ProtoWriter().bytes(2, encryptedKeyset).message(3, keysetInfo).finish();
}

export function decodeEncryptedKeysetProto(bytes: Uint8Array, ctx: KeysetContext): { encryptedKeyset: Buffer; keysetInfo: Buffer | undefined } {
  let encryptedKeyset: Buffer = Buffer.alloc(0);
  let keysetInfo: Buffer | undefined;
  for (const f of fieldsOf(bytes, ctx, 'EncryptedKeyset')) {
    if (f.field === 2 && f.wireType === WIRE_BYTES) encryptedKeyset = f.value;
    else if (f.field === 3 && f.wireType === WIRE_BYTES) keysetInfo = f.value;
  }
  return { encryptedKeyset, keysetInfo };
}
