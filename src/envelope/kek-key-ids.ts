// Kryptonite's default key id rule for algorithm 06: a field without keyId uses envelope_kek_identifier,
// not cipher_data_key_identifier. Applied to field configs before they are compiled into plans.
import type { CipherAlgorithm, FieldConfig } from '../config/types';

export function withEnvelopeKekIds(fields: readonly FieldConfig[], globalAlgorithm: CipherAlgorithm, kekIdentifier: string): readonly FieldConfig[] {
  if (!fields.some((fc) => needsKekId(fc, globalAlgorithm))) return fields;
  return fields.map((fc) => (needsKekId(fc, globalAlgorithm) ? { ...fc, keyId: kekIdentifier } : fc));
}

function needsKekId(fc: FieldConfig, globalAlgorithm: CipherAlgorithm): boolean {
  return fc.keyId === undefined && (fc.algorithm ?? globalAlgorithm) === 'TINK/AES_GCM_ENVELOPE_KMS';
}
