// The two key ports. Everything cloud-specific hides behind these four methods
// (providers/aws, providers/gcp, providers/azure implement them; tests may fake them).

/** kek_type: a key-encryption key held by a KMS. Encrypts and decrypts small byte strings with associated data. */
export interface KeyEncryptionKey {
  encrypt(plaintext: Uint8Array, associatedData: Uint8Array): Promise<Buffer>;
  decrypt(ciphertext: Uint8Array, associatedData: Uint8Array): Promise<Buffer>;
}

/** kms_type: where keysets are stored. Values are RAW keyset JSON text (plain or encrypted keyset). */
export interface KeysetSource {
  /** Identifiers of the keysets available (prefixes already stripped). */
  list(): Promise<string[]>;
  /** The stored keyset JSON text for one identifier; throws KeyNotFoundError when it does not exist. */
  get(identifier: string): Promise<string>;
}
