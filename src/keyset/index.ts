// Public surface of the keyset modules (the fixed-IV test hooks of the ciphers are deliberately not here).

export { Keyset, KeysetKey, type KeyInfo, type KeyInit, type KeysetOptions } from './keyset';
export type { KeyMaterialType, KeyStatus, OutputPrefixType, UsableKeyStatus } from './keyset-model';
export type { TinkJsonKeyset, TinkJsonKeysetInfo } from './keyset-json';
export { AES_GCM_TYPE_URL, AES_SIV_TYPE_URL, FPE_TYPE_URL } from './key-types';
export { outputPrefix } from './output-prefix';
export { keysetAead, keysetDeterministicAead, fpeKeyBytes } from './keyset-aead';
export { encryptKeyset, decryptKeyset, type EncryptedKeysetJson } from './encrypted-keyset';
export { isEncryptedKeysetJson, parseKeysetMaterial, parseFullKeysetEntry, parseFullKeysetEntries, toFullForm, type FullKeysetEntry, type KeysetMaterial } from './keyset-material';
export { generateKeyset, addKey, promoteKey, setKeyStatus, type GenerateKeysetOptions, type AddKeyOptions, type KeysetAlgorithm } from './generate';
