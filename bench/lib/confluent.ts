// Confluent's client-side field-level encryption (@confluentinc/schemaregistry), run in-process without a
// registry server: the client's `mock://` registry and DEK registry, the local KMS driver, and a JSON schema
// whose one string field is tagged PII and covered by an ENCRYPT rule with an AES256_GCM or AES256_SIV DEK.
import {
  FieldEncryptionExecutor, JsonDeserializer, JsonSerializer, LocalKmsDriver, RuleMode, SchemaRegistryClient, SerdeType,
} from '@confluentinc/schemaregistry';
import { fromRawKey as gcmFromRawKey } from '@confluentinc/schemaregistry/dist/rules/encryption/tink/aes_gcm';
import { fromRawKey as sivFromRawKey } from '@confluentinc/schemaregistry/dist/rules/encryption/tink/aes_siv';

export type ConfluentDek = 'AES256_GCM' | 'AES256_SIV';

export interface ConfluentFieldSerde {
  serialize(record: Record<string, unknown>): Promise<Buffer>;
  deserialize(bytes: Buffer): Promise<Record<string, unknown>>;
}

let registered = false;
function registerOnce(): void {
  if (registered) return;
  registered = true;
  FieldEncryptionExecutor.register();
  LocalKmsDriver.register();
}

const SCHEMA = JSON.stringify({
  type: 'object',
  properties: { f: { type: 'string', 'confluent:tags': ['PII'] } },
});

/** A serializer/deserializer pair for records `{ f: string }` with `f` encrypted under a DEK of the given format. */
export async function confluentFieldSerde(dek: ConfluentDek): Promise<ConfluentFieldSerde> {
  registerOnce();
  const topic = `bench-${dek.toLowerCase()}`;
  const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://'], cacheCapacity: 1000 });
  const ruleConfig = { secret: 'bench-local-kms-secret' };
  await client.register(`${topic}-value`, {
    schemaType: 'JSON',
    schema: SCHEMA,
    ruleSet: {
      domainRules: [{
        name: `encrypt-${dek}`,
        kind: 'TRANSFORM',
        mode: RuleMode.WRITEREAD,
        type: 'ENCRYPT',
        tags: ['PII'],
        params: {
          'encrypt.kek.name': `bench-kek-${dek}`,
          'encrypt.kms.type': 'local-kms',
          'encrypt.kms.key.id': 'bench-key',
          'encrypt.dek.algorithm': dek,
        },
        onFailure: 'ERROR,ERROR',
      }],
    },
  }, false);
  const ser = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, ruleConfig });
  const deser = new JsonDeserializer(client, SerdeType.VALUE, { ruleConfig });
  return {
    serialize: (record) => ser.serialize(topic, record),
    deserialize: (bytes) => deser.deserialize(topic, bytes) as Promise<Record<string, unknown>>,
  };
}

export interface TinkAead {
  encrypt(plaintext: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array>;
  decrypt(ciphertext: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array>;
}

/** The Tink AES-GCM and AES-SIV classes bundled with the Confluent client, on a raw key (32 or 64 bytes). */
export async function confluentTink(kind: 'gcm' | 'siv', rawKey: Uint8Array): Promise<TinkAead> {
  const key = new Uint8Array(rawKey);
  return (kind === 'gcm' ? gcmFromRawKey(key) : sivFromRawKey(key)) as Promise<TinkAead>;
}
