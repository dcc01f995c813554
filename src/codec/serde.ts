// Plaintext serdes: a field value becomes bytes before encryption and is restored after decryption.
// The serde code travels in the k2 envelope; the writer is chosen by `serde_type`, the reader follows the envelope.

export type SerdeName = 'KRYO' | 'AVRO';
export type SerdeCode = '00' | '01';

export interface PlaintextSerde {
  readonly name: SerdeName;
  readonly code: SerdeCode;
  /** `fieldPath` is used by AVRO to name derived record schemas (Kryptonite's JsonSchemaDeriver). */
  serialize(value: unknown, fieldPath: string): Buffer;
  deserialize(bytes: Uint8Array): unknown;
}
