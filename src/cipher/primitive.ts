// One shape for every AEAD-like primitive. Implementations check their arguments once and throw
// CryptoError (retriable: false) on authentication failure, never echoing input bytes.

export interface Aead {
  encrypt(plaintext: Uint8Array, associatedData: Uint8Array): Buffer;
  decrypt(ciphertext: Uint8Array, associatedData: Uint8Array): Buffer;
}

/** Deterministic AEAD: same key, plaintext and associated data give the same ciphertext. */
export interface DeterministicAead {
  encryptDeterministically(plaintext: Uint8Array, associatedData: Uint8Array): Buffer;
  decryptDeterministically(ciphertext: Uint8Array, associatedData: Uint8Array): Buffer;
}
