// The keyset rules, stated once. Every way of obtaining a Keyset (JSON, protobuf, generation,
// rotation, decryption) goes through validateKeyset before anything can use it.

import { decodeKeyValue, keyTypeSpec, KeyValueError } from './key-types';
import {
  KEY_MATERIAL_TYPES, OUTPUT_PREFIX_TYPES, isEnumName, keysetError,
  type KeyMaterialType, type KeysetContext, type KeysetDraft, type OutputPrefixType, type UsableKeyStatus,
} from './keyset-model';

export interface ValidKey {
  keyId: number;
  status: UsableKeyStatus;
  outputPrefixType: OutputPrefixType;
  typeUrl: string;
  value: Buffer;
  keyMaterialType: KeyMaterialType;
}

export interface ValidKeyset {
  primaryKeyId: number;
  keys: ValidKey[];
}

const isUint32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/**
 * Rules (Kryptonite 0.7.0 + Tink keyset validation):
 *  1. at least one key;
 *  2. primaryKeyId and every keyId are uint32;
 *  3. key ids are unique;
 *  4. status is ENABLED or DISABLED — DESTROYED (and anything else) is rejected, as Kryptonite's keyset model does;
 *  5. outputPrefixType is TINK, LEGACY, RAW or CRUNCHY;
 *  6. keyMaterialType, when given, is a Tink KeyMaterialType name;
 *  7. the type URL is AesGcmKey, AesSivKey or Kryptonite's FpeKey;
 *  8. the key bytes decode and have a valid size (GCM 16/32, SIV 64, FPE 16/24/32);
 *  9. the primary key exists and is ENABLED.
 * Errors name the keyset identifier and the key's position and id, never key bytes.
 */
export function validateKeyset(draft: KeysetDraft, ctx: KeysetContext): ValidKeyset {
  const invalid = (where: string | undefined, problem: string): never => {
    throw keysetError('KEYSET_INVALID', ctx, where, problem);
  };
  if (draft.keys.length === 0) invalid('key', 'the keyset has no keys');
  if (!isUint32(draft.primaryKeyId)) invalid('primaryKeyId', `${draft.primaryKeyId} is not a uint32 key id`);

  const seen = new Set<number>();
  const keys = draft.keys.map((k): ValidKey => {
    const where = `${k.path} (keyId ${k.keyId})`;
    if (!isUint32(k.keyId)) invalid(`${k.path}.keyId`, `${k.keyId} is not a uint32 key id`);
    if (seen.has(k.keyId)) invalid(where, `duplicate key id ${k.keyId}`);
    seen.add(k.keyId);
    if (k.status !== 'ENABLED' && k.status !== 'DISABLED') {
      invalid(where, `status '${k.status}' is not allowed (Kryptonite accepts ENABLED or DISABLED)`);
    }
    if (!isEnumName(OUTPUT_PREFIX_TYPES, k.outputPrefixType)) {
      invalid(where, `outputPrefixType '${k.outputPrefixType}' is not one of TINK, LEGACY, RAW, CRUNCHY`);
    }
    if (!isEnumName(KEY_MATERIAL_TYPES, k.keyMaterialType)) invalid(where, `keyMaterialType '${k.keyMaterialType}' is unknown`);
    if (keyTypeSpec(k.typeUrl) === undefined) invalid(where, `unsupported key type url '${k.typeUrl}'`);
    try {
      decodeKeyValue(k.typeUrl, k.value).fill(0);
    } catch (e) {
      invalid(where, e instanceof KeyValueError ? e.message : 'key value is unreadable');
    }
    return {
      keyId: k.keyId,
      status: k.status as ValidKey['status'],
      outputPrefixType: k.outputPrefixType as OutputPrefixType,
      typeUrl: k.typeUrl,
      value: k.value,
      keyMaterialType: k.keyMaterialType as KeyMaterialType,
    };
  });

  const primary = keys.find((k) => k.keyId === draft.primaryKeyId);
  if (primary === undefined) invalid('primaryKeyId', `primary key ${draft.primaryKeyId} is not in the keyset`);
  else if (primary.status !== 'ENABLED') invalid('primaryKeyId', `primary key ${draft.primaryKeyId} is ${primary.status}, it must be ENABLED`);
  return { primaryKeyId: draft.primaryKeyId, keys };
}
