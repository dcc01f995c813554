// A small Schema Registry client on top of @kafkajs/confluent-schema-registry's HTTP layer (mappersmith, with its
// retry policy): schemas by id are immutable and cached forever; registrations are cached per subject and text.
import createApiClient, { type SchemaRegistryAPIClient, type SchemaRegistryAPIClientArgs } from '@kafkajs/confluent-schema-registry/dist/api';
import { SchemaMismatchError, registryFailure } from './sr-errors';

export type SrSchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface RegistrySchema {
  readonly id: number;
  readonly schemaType: SrSchemaType;
  readonly schema: string;
  readonly hasReferences: boolean;
}

interface SchemaBody { id?: number; schema: string; schemaType?: string; references?: unknown[] }

function schemaTypeOf(raw: string | undefined, what: string): SrSchemaType {
  const t = raw ?? 'AVRO';
  if (t === 'AVRO' || t === 'JSON' || t === 'PROTOBUF') return t;
  throw new SchemaMismatchError('SR_SCHEMA_TYPE', `${what} has schema type '${t}', which is not supported`);
}

export class RegistryClient {
  private readonly api: SchemaRegistryAPIClient;
  private readonly byId = new Map<number, Promise<RegistrySchema>>();
  private readonly registered = new Map<string, Promise<number>>();

  constructor(args: SchemaRegistryAPIClientArgs) {
    this.api = createApiClient(args);
  }

  schemaById(id: number): Promise<RegistrySchema> {
    return cached(this.byId, id, async () => {
      const body = await this.call<SchemaBody>(`lookup of schema id ${id}`, () => this.api.Schema.find({ id }));
      return { id, schemaType: schemaTypeOf(body.schemaType, `schema id ${id}`), schema: body.schema, hasReferences: (body.references?.length ?? 0) > 0 };
    });
  }

  /** Registers (or finds) `schema` under `subject`; the same text under the same subject is sent once per client. */
  register(subject: string, schemaType: SrSchemaType, schema: string): Promise<number> {
    return cached(this.registered, `${subject}\u0000${schemaType}\u0000${schema}`, async () => {
      const body = await this.call<{ id: number }>(`registration under subject '${subject}'`, () => this.api.Subject.register({
        subject, body: { schemaType: schemaType === 'AVRO' ? undefined : schemaType, schema },
      }));
      return body.id;
    });
  }

  async setCompatibility(subject: string, compatibility: string): Promise<void> {
    await this.call(`compatibility update of subject '${subject}'`, () => this.api.Subject.updateConfig({ subject, body: { compatibility } }));
  }

  /** The latest version under `subject`, or undefined when the subject does not exist. */
  async latest(subject: string): Promise<RegistrySchema | undefined> {
    try {
      const body = await this.call<SchemaBody>(`lookup of subject '${subject}'`, () => this.api.Subject.latestVersion({ subject }), true);
      return { id: body.id as number, schemaType: schemaTypeOf(body.schemaType, `subject '${subject}'`), schema: body.schema, hasReferences: (body.references?.length ?? 0) > 0 };
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw registryFailure(err, `lookup of subject '${subject}'`);
    }
  }

  private async call<T>(what: string, request: () => Promise<{ data(): unknown }>, raw = false): Promise<T> {
    try {
      return (await request()).data() as T;
    } catch (err) {
      if (raw) throw err;
      throw registryFailure(err, what);
    }
  }
}

/**
 * One shared promise per key: concurrent callers wait for one registry call. A failed load is forgotten, so the
 * next record retries it instead of failing forever.
 */
export function cached<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  let p = map.get(key);
  if (p === undefined) {
    p = load();
    map.set(key, p);
    p.catch(() => { if (map.get(key) === p) map.delete(key); });
  }
  return p;
}
