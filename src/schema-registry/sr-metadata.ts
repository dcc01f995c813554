// Where encrypted schemas and their metadata live in the registry. Same subjects and document shape as
// Kryptonite's Kroxylicious filter, so either side can read what the other registered:
//   <topic>-value__k4k_enc            the encrypted schemas (compatibility NONE)
//   <topic>-value__k4k_meta_<id>      {originalSchemaId, encryptedSchemaId, encryptedFields}, under both ids
//   <topic>-value__k4k_dec_<hash8>    partial-decrypt schemas, hash = SHA-256("<encId>:<sorted names>")
import { createHash } from 'node:crypto';
import type { FieldConfig } from '../config/types';
import { SchemaMismatchError } from './sr-errors';

export const encryptedSubject = (topic: string): string => `${topic}-value__k4k_enc`;
export const metadataSubject = (topic: string, schemaId: number): string => `${topic}-value__k4k_meta_${schemaId}`;

export function partialDecryptSubject(topic: string, encryptedSchemaId: number, decryptedNames: readonly string[]): string {
  const input = `${encryptedSchemaId}:${[...decryptedNames].sort().join(',')}`;
  return `${topic}-value__k4k_dec_${createHash('sha256').update(input, 'utf8').digest('hex').slice(0, 8)}`;
}

export interface EncryptionMetadata {
  readonly originalSchemaId: number;
  readonly encryptedSchemaId: number;
  /** Effective settings of every encrypted path (a field config each), so consumers need no field config of their own. */
  readonly encryptedFields: readonly FieldConfig[];
}

const METADATA_KEY = 'x-kryptonite-metadata';

/** The metadata as a JSON Schema document (the registry stores schemas only). */
export function metadataDocument(meta: EncryptionMetadata): string {
  const fields = meta.encryptedFields.map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));
  // `$schema` lets registries that sniff the content type (Apicurio) accept the document; Kryptonite omits it.
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', [METADATA_KEY]: { originalSchemaId: meta.originalSchemaId, encryptedSchemaId: meta.encryptedSchemaId, encryptedFields: fields } });
}

export function parseMetadataDocument(text: string, subject: string): EncryptionMetadata {
  const bad = (why: string): never => { throw new SchemaMismatchError('SR_METADATA', `encryption metadata under subject '${subject}' ${why}`); };
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { return bad('is not JSON'); }
  const m = (doc as Record<string, unknown> | null)?.[METADATA_KEY] as Record<string, unknown> | undefined;
  if (m === undefined || m === null || typeof m !== 'object') return bad(`has no '${METADATA_KEY}' object`);
  const { originalSchemaId, encryptedSchemaId, encryptedFields } = m;
  if (!Number.isInteger(originalSchemaId) || !Number.isInteger(encryptedSchemaId)) return bad('lacks integer schema ids');
  if (!Array.isArray(encryptedFields)) return bad('lacks the encryptedFields list');
  const fields = encryptedFields.map((f, i) => {
    if (f === null || typeof f !== 'object' || typeof (f as { name?: unknown }).name !== 'string') return bad(`has no name in encryptedFields[${i}]`);
    return f as FieldConfig;
  });
  return { originalSchemaId: originalSchemaId as number, encryptedSchemaId: encryptedSchemaId as number, encryptedFields: fields };
}
