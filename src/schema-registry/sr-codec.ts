// The Schema Registry record format: encrypts configured fields of Confluent-framed Avro / JSON Schema / Protobuf
// record values, re-framing them with a derived encrypted schema, and reverses it on the consumer side with the
// writer's original schema id (or a registered partial-decrypt schema). Every registry lookup is cached per
// schema id / subject, so the registry sees a handful of calls per schema, not per record.
import type { SchemaRegistryAPIClientArgs } from '@kafkajs/confluent-schema-registry/dist/api';
import type { EngineSettings } from '../config/settings';
import { parseFieldConfigs } from '../config/settings';
import type { FieldConfig } from '../config/types';
import { compileFields, type FieldPlan } from '../field/field-plan';
import type { JsonObject } from '../paths/field-path';
import { avroFormat } from './avro-format';
import { jsonSchemaFormat } from './json-schema-format';
import { protobufFormat } from './protobuf-format';
import { RegistryClient, cached, type SrSchemaType } from './sr-client';
import type { SrFormat, SrSchema } from './sr-format';
import {
  encryptedSubject, metadataDocument, metadataSubject, parseMetadataDocument, partialDecryptSubject, type EncryptionMetadata,
} from './sr-metadata';
import { readFrame, writeFrame } from './sr-wire';

/** The engine as this layer uses it (the Kryptonite class fits). */
export interface SrEngine {
  readonly settings: EngineSettings;
  encryptRecord(record: JsonObject, fields?: readonly FieldConfig[]): Promise<JsonObject>;
  decryptRecord(record: JsonObject, fields?: readonly FieldConfig[]): Promise<JsonObject>;
}

export interface SchemaRegistryCodecOptions {
  engine: SrEngine;
  /** Registry connection (host may carry a path prefix, e.g. `http://h:8080/apis/ccompat/v7`), or a client to share. */
  registry: SchemaRegistryAPIClientArgs | RegistryClient;
}

const FORMATS: Record<SrSchemaType, SrFormat> = { AVRO: avroFormat, JSON: jsonSchemaFormat, PROTOBUF: protobufFormat };

interface EncryptTarget { readonly id: number; readonly schema: SrSchema; readonly fields: readonly FieldConfig[] }
interface OutputTarget { readonly id: number; readonly schema: SrSchema }

const isEmpty = (b: Buffer | null | undefined): b is null | undefined => b === null || b === undefined || b.length === 0;

export class SchemaRegistryCodec {
  readonly client: RegistryClient;
  private readonly engine: SrEngine;
  private readonly schemas = new Map<number, Promise<SrSchema>>();
  private readonly encryptTargets = new Map<string, Promise<EncryptTarget | null>>();
  private readonly metadata = new Map<string, Promise<EncryptionMetadata | null>>();
  private readonly outputs = new Map<string, Promise<OutputTarget>>();
  private readonly noneSubjects = new Map<string, Promise<void>>();
  private readonly fieldKeys = new WeakMap<readonly FieldConfig[], string>();

  constructor(options: SchemaRegistryCodecOptions) {
    this.engine = options.engine;
    this.client = options.registry instanceof RegistryClient ? options.registry : new RegistryClient(options.registry);
  }

  /**
   * Encrypts `fields` (default: the engine's field_config) of one framed record value. Empty values pass through;
   * so does a record whose schema has none of the fields.
   */
  async encodeEncrypted(topic: string, bytes: Buffer, fields?: readonly FieldConfig[]): Promise<Buffer> {
    if (isEmpty(bytes)) return bytes;
    const frame = readFrame(bytes);
    const original = await this.schema(frame.schemaId);
    const decoded = original.decode(frame.payload);
    const list = fields ?? this.engine.settings.fieldConfig;
    const target = await this.encryptTarget(topic, frame.schemaId, original, decoded.variant, list);
    if (target === null) return bytes;
    const encrypted = await this.engine.encryptRecord(decoded.record, target.fields);
    return writeFrame(target.id, target.schema.encode(encrypted, decoded.variant));
  }

  /**
   * Decrypts a record written by encodeEncrypted (or Kryptonite's Kroxylicious filter) and re-frames it with the
   * original schema id. `fieldNames` limits decryption to some encrypted fields; the rest stay encrypted and the
   * record gets a registered partial-decrypt schema. Records whose schema id is not an encrypted one pass through.
   */
  async decodeDecrypted(topic: string, bytes: Buffer, fieldNames?: readonly string[]): Promise<Buffer> {
    if (isEmpty(bytes)) return bytes;
    const frame = readFrame(bytes);
    const meta = await this.metadataFor(topic, frame.schemaId);
    if (meta === null) return bytes;
    const { decrypt, keep } = this.split(meta, fieldNames);
    if (decrypt.length === 0) return bytes;
    const encrypted = await this.schema(frame.schemaId);
    const decoded = encrypted.decode(frame.payload);
    const plain = await this.engine.decryptRecord(decoded.record, decrypt);
    const out = await this.output(topic, meta, keep, decoded.variant, decrypt);
    return writeFrame(out.id, out.schema.encode(plain, decoded.variant));
  }

  /** The encryption metadata of an encrypted schema id, or null when the id is not one (cached either way). */
  metadataFor(topic: string, schemaId: number): Promise<EncryptionMetadata | null> {
    return cached(this.metadata, `${topic}\u0000${schemaId}`, async () => {
      const subject = metadataSubject(topic, schemaId);
      const found = await this.client.latest(subject);
      if (found === undefined) return null;
      const meta = parseMetadataDocument(found.schema, subject);
      // Metadata is also filed under the original id; a record framed with that id is not encrypted.
      return meta.encryptedSchemaId === schemaId ? meta : null;
    });
  }

  private schema(id: number): Promise<SrSchema> {
    return cached(this.schemas, id, async () => {
      const s = await this.client.schemaById(id);
      return FORMATS[s.schemaType].parse(s.schema, id, s.hasReferences);
    });
  }

  private encryptTarget(topic: string, originalId: number, original: SrSchema, variant: string, fields: readonly FieldConfig[]): Promise<EncryptTarget | null> {
    const key = `${topic}\u0000${originalId}\u0000${variant}\u0000${this.fieldsKey(fields)}`;
    return cached(this.encryptTargets, key, async () => {
      const s = this.engine.settings;
      const compiled = compileFields(parseFieldConfigs(fields, 'fields', undefined, s.fpe.alphabetCustom), s);
      const derived = original.deriveEncrypted(compiled, s.pathDelimiter, variant);
      if (derived === undefined) return null;
      const encryptedFields = derived.encrypted.map(toFieldConfig);
      const id = await this.registerUnchecked(encryptedSubject(topic), original.type, derived.schema);
      const meta: EncryptionMetadata = { originalSchemaId: originalId, encryptedSchemaId: id, encryptedFields };
      const doc = metadataDocument(meta);
      await this.registerUnchecked(metadataSubject(topic, id), 'JSON', doc);
      await this.registerUnchecked(metadataSubject(topic, originalId), 'JSON', doc);
      this.metadata.set(`${topic}\u0000${id}`, Promise.resolve(meta));
      const schema = FORMATS[original.type].parse(derived.schema, id, false);
      if (!this.schemas.has(id)) this.schemas.set(id, Promise.resolve(schema));
      return { id, schema, fields: encryptedFields };
    });
  }

  /** Splits the stored fields into those to decrypt (roots picked by name, with their children) and those kept. */
  private split(meta: EncryptionMetadata, names: readonly string[] | undefined): { decrypt: FieldConfig[]; keep: FieldConfig[] } {
    const all = meta.encryptedFields;
    if (names === undefined) return { decrypt: [...all], keep: [] };
    const d = this.engine.settings.pathDelimiter;
    const roots = compileFields(all, this.engine.settings).roots.map((r) => r.path).filter((p) => names.includes(p));
    const under = (f: FieldConfig): boolean => roots.some((r) => f.name === r || f.name.startsWith(r + d));
    return { decrypt: all.filter(under), keep: all.filter((f) => !under(f)) };
  }

  private output(topic: string, meta: EncryptionMetadata, keep: readonly FieldConfig[], variant: string, decrypt: readonly FieldConfig[]): Promise<OutputTarget> {
    const decryptedNames = decrypt.map((f) => f.name);
    const key = `${topic}\u0000${meta.encryptedSchemaId}\u0000${variant}\u0000${[...decryptedNames].sort().join(',')}`;
    return cached(this.outputs, key, async () => {
      const original = await this.schema(meta.originalSchemaId);
      if (keep.length === 0) return { id: meta.originalSchemaId, schema: original };
      const s = this.engine.settings;
      const derived = original.deriveEncrypted(compileFields(keep, s), s.pathDelimiter, variant);
      if (derived === undefined) return { id: meta.originalSchemaId, schema: original };
      const rootNames = compileFields(decrypt, s).roots.map((r) => r.path);
      const id = await this.registerUnchecked(partialDecryptSubject(topic, meta.encryptedSchemaId, rootNames), original.type, derived.schema);
      return { id, schema: FORMATS[original.type].parse(derived.schema, id, false) };
    });
  }

  /** Registers under a subject of ours with compatibility NONE: encrypted schemas follow the writer's, not a policy. */
  private async registerUnchecked(subject: string, type: SrSchemaType, schema: string): Promise<number> {
    await cached(this.noneSubjects, subject, () => this.client.setCompatibility(subject, 'NONE'));
    return this.client.register(subject, type, schema);
  }

  private fieldsKey(fields: readonly FieldConfig[]): string {
    let k = this.fieldKeys.get(fields);
    if (k === undefined) { k = JSON.stringify(fields); this.fieldKeys.set(fields, k); }
    return k;
  }
}

function toFieldConfig(plan: FieldPlan): FieldConfig {
  const fc: { -readonly [K in keyof FieldConfig]: FieldConfig[K] } = { name: plan.path, fieldMode: plan.mode, algorithm: plan.algorithm };
  if (plan.keyId !== '') fc.keyId = plan.keyId;
  if (plan.algorithm === 'CUSTOM/MYSTO_FPE_FF3_1') { fc.fpeTweak = plan.fpeTweak; fc.fpeAlphabetType = 'CUSTOM'; fc.fpeAlphabetCustom = plan.fpeAlphabet; }
  return fc;
}
