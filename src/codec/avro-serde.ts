// The AVRO plaintext serde (code "01"): schemaLen (4 bytes BE) ‖ schema JSON ‖ Avro binary, as Kryptonite 0.7.0 writes it.
import { KryptoniteError, SerdeError } from '../errors';
import { AvroReader, AvroWriter } from './avro-binary';
import { compileReader, type AvroRead } from './avro-decode';
import { Deriver, sanitizeName } from './avro-derive';
import { parseAvroSchema } from './avro-schema';
import type { PlaintextSerde } from './serde';

const CACHE_LIMIT = 1024;
// Parsed schemas by their exact JSON text, as Java's AvroSerdeProcessor caches them: decryption is the hot path.
const readers = new Map<string, AvroRead>();

function readerFor(json: string): AvroRead {
  let read = readers.get(json);
  if (read === undefined) {
    read = compileReader(parseAvroSchema(json));
    if (readers.size >= CACHE_LIMIT) readers.delete(readers.keys().next().value as string);
    readers.set(json, read);
  }
  return read;
}

/** Encodes a JSON-like value with a schema derived from it and `fieldPath` (which names records). */
export function avroSerialize(value: unknown, fieldPath: string): Buffer {
  const deriver = new Deriver(fieldPath);
  if (fieldPath === '') {
    // Kryptonite's sanitizeName reads the first character of the path and fails on an empty one.
    throw new SerdeError('SERDE_AVRO_SCHEMA', 'AVRO serde: the field path must not be empty to name the Avro schema');
  }
  let json: Buffer;
  let body: Buffer;
  try {
    const schema = deriver.derive(value, sanitizeName(fieldPath), '$');
    json = Buffer.from(deriver.print(schema), 'utf8');
    const w = new AvroWriter(64);
    deriver.write(w, value, schema);
    body = w.toBuffer();
  } catch (err) {
    if (err instanceof KryptoniteError) throw err;
    throw new SerdeError('SERDE_UNSUPPORTED_TYPE', 'AVRO serde: the value cannot be serialised', { fieldPath, cause: err });
  }
  const out = Buffer.allocUnsafe(4 + json.length + body.length);
  out.writeInt32BE(json.length, 0);
  json.copy(out, 4);
  body.copy(out, 4 + json.length);
  return out;
}

/** Decodes a payload written by any Avro writer with any schema; see avro-decode.ts for the value mapping. */
export function avroDeserialize(bytes: Uint8Array): unknown {
  try {
    const r = new AvroReader(bytes);
    if (bytes.length < 4) throw r.fail('truncated schema length', 0);
    const len = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readInt32BE(0);
    if (len < 0 || len > bytes.length - 4) throw r.fail('schema length exceeds the payload', 0);
    const json = Buffer.from(bytes.buffer, bytes.byteOffset + 4, len).toString('utf8');
    r.pos = 4 + len;
    const value = readerFor(json)(r);
    // Java ignores trailing bytes, but its writer never produces any: treat them as corruption.
    if (r.remaining !== 0) throw r.fail('trailing bytes after the Avro value');
    return value;
  } catch (err) {
    if (err instanceof KryptoniteError) throw err;
    throw new SerdeError('SERDE_MALFORMED', 'malformed AVRO plaintext', { cause: err });
  }
}

export const avroSerde: PlaintextSerde = {
  name: 'AVRO',
  code: '01',
  serialize: avroSerialize,
  deserialize: avroDeserialize,
};
