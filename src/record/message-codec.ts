// One record part (key or value) between its Kafka form and the engine: JSON objects are parsed, their
// configured fields encrypted and written back in the form they came in (string or Buffer); whole parts are
// encrypted as one field; Schema Registry framed values go through the registry codec. Null and empty parts
// (tombstones, keyless records) pass through untouched.
import { ConfigError, KryptoniteError, SerdeError, asKryptoniteError } from '../errors';
import { isPlainObject } from '../paths/field-path';
import { parseJsonText, writeJson } from '../codec/json-text';
import type { RecordCipher } from './record-cipher';
import { decryptRegistryValue, encryptRegistryValue, type RegistryContext } from './registry-part';
import type { CompiledPart } from './topic-rules';

export type PartBytes = Buffer | string | null | undefined;
export type PartName = 'key' | 'value';

function isEmpty(part: PartBytes): part is null | undefined | '' {
  return part === null || part === undefined || part.length === 0;
}

// A run of 16 digits may be an integer beyond 2^53, which JSON.parse would round; such documents go through the
// exact parser (such integers as bigint). Everything else takes the native parser, which gives the same values.
const MAYBE_UNSAFE_INTEGER = /\d{16}/;

function parseObject(part: Buffer | string, name: PartName, fieldPath: string): Record<string, unknown> {
  let doc: unknown;
  try {
    const text = typeof part === 'string' ? part : part.toString('utf8');
    doc = MAYBE_UNSAFE_INTEGER.test(text) ? parseJsonText(text) : JSON.parse(text);
  } catch {
    throw new SerdeError('RECORD_NOT_JSON', `record ${name} is not valid JSON text`, { fieldPath });
  }
  if (!isPlainObject(doc)) throw new SerdeError('RECORD_NOT_JSON_OBJECT', `record ${name} is JSON but not an object`, { fieldPath });
  return doc;
}

function sameForm(original: Buffer | string, text: string): Buffer | string {
  return typeof original === 'string' ? text : Buffer.from(text, 'utf8');
}

/**
 * Where an error without its own field path is reported: the whole part's label, the only configured field
 * (it can be no other), or `<key>` / `<value>` when several fields are configured.
 */
function partPath(part: CompiledPart, name: PartName): string {
  if (part.kind === 'whole') return part.field.name;
  // Frame, schema and registry problems concern the value as a whole; field errors carry their own path.
  if (part.kind === 'registry') return `<${name}>`;
  return part.fields.length === 1 ? (part.fields[0] as { name: string }).name : `<${name}>`;
}

// Documents may hold values JSON.stringify cannot write: bytes (written as Base64 text, as Jackson writes byte[])
// and bigint (64-bit integers, written as exact JSON integers). Only those documents take the slower writer;
// JSON.stringify stays on V8's fast path for everything else.
function needsExactWriter(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return value.some(needsExactWriter);
  for (const key in value) if (needsExactWriter((value as Record<string, unknown>)[key])) return true;
  return false;
}

function toJson(value: unknown): string {
  return needsExactWriter(value) ? writeJson(value) : (JSON.stringify(value) ?? 'null');
}

function registryContext(registry: RegistryContext | undefined, rule: CompiledPart): RegistryContext {
  if (registry === undefined) {
    const format = rule.kind === 'registry' ? rule.format : '?';
    throw new ConfigError('NO_SCHEMA_REGISTRY', `a ${format} record needs a Schema Registry connection (the schemaRegistry option)`);
  }
  return registry;
}

/**
 * Encrypts one part for the producer. Errors carry a field path, never the data. `registry` is required for
 * parts in a Schema Registry format.
 */
export async function encryptPart(cipher: RecordCipher, part: PartBytes, rule: CompiledPart, name: PartName,
  registry?: RegistryContext): Promise<PartBytes> {
  if (isEmpty(part)) return part;
  try {
    if (rule.kind === 'registry') return await encryptRegistryValue(registryContext(registry, rule), part, rule);
    if (rule.kind === 'whole') {
      const out = await cipher.encryptValue(part, rule.field);
      if (typeof out !== 'string') {
        throw new KryptoniteError('ENCRYPT_RESULT', `encrypting the whole record ${name} did not produce text`, { fieldPath: rule.field.name });
      }
      return sameForm(part, out);
    }
    const doc = parseObject(part, name, `<${name}>`);
    return sameForm(part, toJson(await cipher.encryptRecord(doc, rule.fields)));
  } catch (err) {
    throw asKryptoniteError(err, 'ENCRYPT_FAILED', `encrypting the record ${name} failed`, { fieldPath: partPath(rule, name) });
  }
}

/**
 * Decrypts one part for the consumer. Whole parts come back as a Buffer, as KafkaJS hands out any key or value:
 * decrypted text as its UTF-8 bytes, decrypted bytes as they are, anything else (a number or map written by a
 * Java producer) as JSON text. Schema Registry values come back framed with the writer's schema id.
 */
export async function decryptPart(cipher: RecordCipher, part: PartBytes, rule: CompiledPart, name: PartName,
  registry?: RegistryContext): Promise<PartBytes> {
  if (isEmpty(part)) return part;
  try {
    if (rule.kind === 'registry') return await decryptRegistryValue(registryContext(registry, rule), part, rule);
    if (rule.kind === 'whole') {
      const out = await cipher.decryptValue(typeof part === 'string' ? part : part.toString('utf8'), rule.field);
      const bytes = Buffer.isBuffer(out) ? out
        : out instanceof Uint8Array ? Buffer.from(out.buffer, out.byteOffset, out.byteLength)
          : typeof out === 'string' ? Buffer.from(out, 'utf8') : Buffer.from(toJson(out), 'utf8');
      return typeof part === 'string' ? bytes.toString('utf8') : bytes;
    }
    const doc = parseObject(part, name, `<${name}>`);
    return sameForm(part, toJson(await cipher.decryptRecord(doc, rule.fields)));
  } catch (err) {
    throw asKryptoniteError(err, 'DECRYPT_FAILED', `decrypting the record ${name} failed`, { fieldPath: partPath(rule, name) });
  }
}
