// The EDEK store port (fingerprint → wrapped DEK, for algorithm 06), the fingerprint rule, and an in-memory
// store for single-process use and tests. The Kafka-backed store is in kafka-edek-store.ts.
import { createHash } from 'node:crypto';

export const FINGERPRINT_SIZE = 16;

/** First 16 bytes of SHA-256(wrappedDek): the record key in the store and the first 16 bytes of every 06 ciphertext. */
export function fingerprintOf(wrappedDek: Uint8Array): Buffer {
  return createHash('sha256').update(wrappedDek).digest().subarray(0, FINGERPRINT_SIZE);
}

export interface EdekStore {
  /** Loads what is already stored (e.g. reads the topic to its end) and starts following new entries. */
  init(): Promise<void>;
  /** Durably stores the pair; resolves once any other instance can find it (idempotent for equal bytes). */
  put(fingerprint: Buffer, wrappedDek: Buffer): Promise<void>;
  /** The wrapped DEK, or undefined when the store does not have it (after waiting briefly for it to catch up). */
  get(fingerprint: Buffer): Promise<Buffer | undefined>;
  close(): Promise<void>;
  /** Where the store lives, for error messages (e.g. "Kafka topic '_k4k_edeks'"). */
  describe(): string;
}

/** Keeps EDEKs in this process only; other processes cannot decrypt what it wraps. */
export class MemoryEdekStore implements EdekStore {
  readonly entries = new Map<string, Buffer>();

  async init(): Promise<void> {}
  async put(fingerprint: Buffer, wrappedDek: Buffer): Promise<void> {
    this.entries.set(fingerprint.toString('hex'), Buffer.from(wrappedDek));
  }
  async get(fingerprint: Buffer): Promise<Buffer | undefined> {
    return this.entries.get(fingerprint.toString('hex'));
  }
  async close(): Promise<void> {}
  describe(): string { return 'in-memory EDEK store'; }
}
