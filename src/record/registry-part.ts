// Schema Registry framed record values (Avro, JSON Schema, Protobuf) in the record layer: the topic rule's format is
// checked against the schema type the frame's id names, then the codec encrypts or decrypts the configured fields.
import type { SchemaRegistryAPIClientArgs } from '@kafkajs/confluent-schema-registry/dist/api';
import { SerdeError } from '../errors';
import { RegistryClient, SchemaMismatchError, SchemaRegistryCodec, readFrame, type SrEngine, type SrSchemaType } from '../schema-registry';
import type { PartBytes } from './message-codec';
import type { CompiledPart, RegistryFormat } from './topic-rules';

/** The registry connection of a wrapper: connection settings (`host` may carry a path prefix), or a client to share. */
export type SchemaRegistryOption = SchemaRegistryAPIClientArgs | RegistryClient;

/** What a Schema Registry part needs besides the engine: the codec (registry connection and caches) and the topic. */
export interface RegistryContext {
  readonly codec: SchemaRegistryCodec;
  readonly topic: string;
}

type RegistryPart = Extract<CompiledPart, { kind: 'registry' }>;

const SCHEMA_TYPE: Record<RegistryFormat, SrSchemaType> = { AVRO: 'AVRO', JSON_SR: 'JSON', PROTOBUF: 'PROTOBUF' };

export function createRegistryCodec(engine: SrEngine, registry: SchemaRegistryOption): SchemaRegistryCodec {
  return new SchemaRegistryCodec({ engine, registry });
}

/** Problems with a `schemaRegistry` option, each with its option path. */
export function registryOptionProblems(value: unknown, path: string): string[] {
  if (value instanceof RegistryClient) return [];
  if (typeof value !== 'object' || value === null) return [`${path}: must be { host, auth?, ... } or a RegistryClient`];
  const host = (value as { host?: unknown }).host;
  if (typeof host !== 'string' || host.length === 0) return [`${path}.host: must be the registry's base URL`];
  try {
    const url = new URL(host);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return [`${path}.host: must be an http or https URL`];
  } catch {
    return [`${path}.host: is not a valid URL`];
  }
  return [];
}

// A value on a Schema Registry topic in the wrong format would otherwise be read under a schema meant for another.
async function checkFormat(ctx: RegistryContext, bytes: Buffer, rule: RegistryPart): Promise<void> {
  const { schemaId } = readFrame(bytes);
  const { schemaType } = await ctx.codec.client.schemaById(schemaId);
  if (schemaType !== SCHEMA_TYPE[rule.format]) {
    throw new SchemaMismatchError('SR_FORMAT_MISMATCH',
      `record value on topic '${ctx.topic}' is framed with schema id ${schemaId}, a ${schemaType} schema, but the topic rule's format is ${rule.format}`);
  }
}

function frameBytes(part: Buffer | string): Buffer {
  // A frame starts with a zero byte and a binary schema id: as text it would not survive UTF-8.
  if (typeof part === 'string') throw new SerdeError('SR_VALUE_NOT_BYTES', 'a Schema Registry record value must be a Buffer, not a string');
  return part;
}

export async function encryptRegistryValue(ctx: RegistryContext, part: Buffer | string, rule: RegistryPart): Promise<PartBytes> {
  const bytes = frameBytes(part);
  await checkFormat(ctx, bytes, rule);
  return ctx.codec.encodeEncrypted(ctx.topic, bytes, rule.fields);
}

export async function decryptRegistryValue(ctx: RegistryContext, part: Buffer | string, rule: RegistryPart): Promise<PartBytes> {
  const bytes = frameBytes(part);
  await checkFormat(ctx, bytes, rule);
  return ctx.codec.decodeDecrypted(ctx.topic, bytes, rule.names);
}
