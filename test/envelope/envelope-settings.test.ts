// Validation of the envelope options: envelope_kek_configs in both spellings, edek_store_config (kafkacache.*)
// mapped onto the Kafka store's settings, dek_* limits, key_source NONE, and algorithm 06 field checks.
import { parseEngineSettings } from '../../src/config/settings';
import { Kryptonite } from '../../src/engine';
import { ConfigError } from '../../src/errors';
import { parseEdekStoreConfig } from '../../src/envelope';
import { KEYSET_B } from '../keyset/fixtures';

const base = { cipher_data_keys: [{ identifier: 'keyB', material: KEYSET_B }] };
const AWS_URI = 'aws-kms://arn:aws:kms:eu-west-1:111122223333:key/abc';
const STORE = { 'kafkacache.bootstrap.servers': '127.0.0.1:9092', 'kafkacache.topic': '_k4k_edeks' };

function problemsOf(fn: () => unknown): string[] {
  try { fn(); } catch (err) { expect(err).toBeInstanceOf(ConfigError); return [...(err as ConfigError).problems]; }
  throw new Error('expected a ConfigError');
}

function storeProblems(cfg: Record<string, string>): string[] {
  const out: string[] = [];
  parseEdekStoreConfig(cfg, (p, m) => out.push(`${p}: ${m}`));
  return out;
}

describe('envelope_kek_configs', () => {
  it("Kryptonite's code shape (kek_config as JSON text) and the documented shape (type/uri/config object) normalise alike", () => {
    const code = parseEngineSettings({ ...base, envelope_kek_configs: JSON.stringify([
      { identifier: 'k', kek_type: 'AWS', kek_uri: AWS_URI, kek_config: '{"accessKey":"a","secretKey":"s"}' }]) });
    const docs = parseEngineSettings({ ...base, envelopeKekConfigs: [{ identifier: 'k', type: 'AWS', uri: AWS_URI, config: { accessKey: 'a', secretKey: 's' } }] });
    expect(code.envelope.kekConfigs).toEqual([{ identifier: 'k', kekType: 'AWS', kekUri: AWS_URI, kekConfig: { accessKey: 'a', secretKey: 's' } }]);
    expect(docs.envelope).toEqual(code.envelope);
  });

  it('reports each broken entry with its path, never echoing kek_config text', () => {
    const problems = problemsOf(() => parseEngineSettings({ ...base, envelope_kek_configs: [
      { identifier: '', kek_type: 'AWS', kek_uri: AWS_URI },
      { identifier: 'b', kek_type: 'IBM', kek_uri: 'x' },
      { identifier: 'c', kek_type: 'GCP', kek_uri: AWS_URI },
      { identifier: 'd', type: 'AWS', kek_type: 'AWS', kek_uri: AWS_URI },
      { identifier: 'e', kek_type: 'AZURE', kek_uri: 'azure-kv://v.vault.azure.net/keys/k', kek_config: '{"clientSecret":"SUPERSECRET"' },
      { identifier: 'f', kek_type: 'AWS', kek_uri: ' ', keyVault: 'x' },
      { identifier: 'g', kek_type: 'AWS', kek_uri: AWS_URI, kek_config: [1] },
      { identifier: 'g', kek_type: 'AWS', kek_uri: AWS_URI },
      'nope',
    ] as never }));
    expect(problems).toEqual([
      'envelope_kek_configs[0].identifier: is blank or missing',
      "envelope_kek_configs[1].kek_type: must be one of AWS, GCP, AZURE (got 'IBM')",
      'envelope_kek_configs[2].kek_uri: must start with gcp-kms:// for kek_type GCP',
      'envelope_kek_configs[3].kek_type: given twice (as kek_type and type)',
      'envelope_kek_configs[4].kek_config: is not valid JSON text',
      'envelope_kek_configs[5].keyVault: unknown key (expected identifier, kek_type, kek_uri, kek_config)',
      'envelope_kek_configs[5].kek_uri: is blank or missing',
      'envelope_kek_configs[6].kek_config: must be a JSON object (or JSON text of one)',
      "envelope_kek_configs[7].identifier: duplicate identifier 'g'",
      'envelope_kek_configs[8]: must be an object',
    ]);
    expect(problems.join('\n')).not.toContain('SUPERSECRET');
    expect(problemsOf(() => parseEngineSettings({ ...base, envelope_kek_configs: '{"identifier":"x"}' })))
      .toEqual(['envelope_kek_configs: must be a JSON array of {identifier, kek_type, kek_uri, kek_config} objects']);
  });

  it('key_source NONE needs at least one KEK; algorithm 06 fields need a configured KEK identifier', () => {
    expect(problemsOf(() => parseEngineSettings({ key_source: 'NONE' }))).toEqual([
      'key_source: NONE requires envelope encryption to be configured — envelope_kek_configs must be a non-empty list of KEK entries',
    ]);
    const keks = [{ identifier: 'kek', kek_type: 'AWS', kek_uri: AWS_URI }];
    expect(parseEngineSettings({ key_source: 'NONE', envelope_kek_configs: keks }).keyManagement.keySource).toBe('NONE');
    const KMS = 'TINK/AES_GCM_ENVELOPE_KMS';
    expect(problemsOf(() => parseEngineSettings({ ...base, field_config: [{ name: 'x', algorithm: KMS }] })))
      .toEqual([`field_config[0].algorithm: ${KMS} needs envelope_kek_configs (a cloud KEK) and edek_store_config`]);
    expect(problemsOf(() => parseEngineSettings({ ...base, envelope_kek_configs: keks, field_config: [
      { name: 'a', algorithm: KMS }, { name: 'b', algorithm: KMS, keyId: 'other' }, { name: 'c', algorithm: KMS, keyId: '__#tenant' }, { name: 'd' }] })))
      .toEqual([
        `envelope_kek_identifier: a KEK identifier is required for ${KMS} (set keyId on field 'a' or envelope_kek_identifier)`,
        "field_config[1].keyId: no envelope KEK found for identifier 'other' - check envelope_kek_configs",
      ]);
    // a global cipher_algorithm of 06 applies to fields without their own algorithm
    expect(problemsOf(() => parseEngineSettings({ ...base, envelope_kek_configs: keks, cipher_algorithm: KMS, envelope_kek_identifier: 'nope', field_config: [{ name: 'a' }] })))
      .toEqual(["envelope_kek_identifier: no envelope KEK found for identifier 'nope' - check envelope_kek_configs"]);
  });
});

describe('dek_* limits', () => {
  it('Kryptonite defaults, numbers as text, and one problem per bad value', () => {
    const s = parseEngineSettings(base).envelope;
    expect([s.dekKeyBits, s.dekMaxEncryptions, s.dekTtlMinutes, s.dekCacheSize, s.kekIdentifier, s.edekStoreConfig]).toEqual([128, 100_000, 720, 1024, '', undefined]);
    const t = parseEngineSettings({ ...base, dek_key_bits: '256', dek_max_encryptions: '5', dek_ttl_minutes: 0.5, dek_cache_size: 3 }).envelope;
    expect([t.dekKeyBits, t.dekMaxEncryptions, t.dekTtlMinutes, t.dekCacheSize]).toEqual([256, 5, 0.5, 3]);
    expect(problemsOf(() => parseEngineSettings({ ...base, dek_key_bits: 192, dek_max_encryptions: 0, dek_ttl_minutes: 'soon', dek_cache_size: 1.5 }))).toEqual([
      'dek_key_bits: must be 128 or 256, got: 192',
      'dek_max_encryptions: must be a number > 0',
      'dek_ttl_minutes: must be a number > 0',
      'dek_cache_size: must be a whole number',
    ]);
  });
});

describe('edek_store_config', () => {
  it('maps kafkacache.* onto the Kafka store settings, with KCache/Kryptonite defaults', () => {
    const s = parseEngineSettings({ ...base, edek_store_config: JSON.stringify({ ...STORE, 'kafkacache.topic.replication.factor': 1 }) });
    expect(s.envelope.edekStoreConfig).toEqual({ ...STORE, 'kafkacache.topic.replication.factor': '1' });
    const cfg = parseEdekStoreConfig({ ...STORE, 'kafkacache.bootstrap.servers': 'PLAINTEXT://a:9092, b:9093' }, () => { throw new Error('no problem expected'); });
    expect(cfg).toEqual({
      brokers: ['a:9092', 'b:9093'], topic: '_k4k_edeks', replicationFactor: undefined, numPartitions: 1, requireCompact: true,
      initTimeoutMs: 300_000, timeoutMs: 60_000, lookupWaitMs: 5_000, groupIdPrefix: 'k4k-edek-store', clientId: 'k4k-edek-store',
      security: { protocol: 'PLAINTEXT', verifyHostname: true },
    });
  });

  it('SASL from the JAAS line and PEM files for TLS; what KafkaJS cannot honour is refused, not ignored', () => {
    const sasl = parseEdekStoreConfig({
      ...STORE, 'kafkacache.security.protocol': 'SASL_SSL', 'kafkacache.sasl.mechanism': 'SCRAM-SHA-512',
      'kafkacache.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="pw";',
      'kafkacache.ssl.truststore.location': '/etc/ca.pem', 'kafkacache.ssl.truststore.type': 'PEM', 'k4k.lookup.wait.ms': '250',
    }, () => { throw new Error('no problem expected'); });
    expect(sasl?.security).toEqual({ protocol: 'SASL_SSL', saslMechanism: 'scram-sha-512', username: 'svc', password: 'pw', caFile: '/etc/ca.pem', verifyHostname: true });
    expect(sasl?.lookupWaitMs).toBe(250);
    expect(storeProblems({
      'kafkacache.topic': 'bad topic!', 'kafkacache.security.protocol': 'SASL_PLAINTEXT', 'kafkacache.sasl.mechanism': 'GSSAPI',
      'kafkacache.ssl.keystore.location': '/ks.jks', 'kafkacache.backing.cache': 'rocksdb', 'kafkacache.topic.num.partitions': '0', 'ssl.protocol': 'TLS',
    })).toEqual([
      expect.stringMatching(/^edek_store_config.ssl.protocol: unknown or unsupported setting \(supported: kafkacache.bootstrap.servers, /),
      'edek_store_config.kafkacache.bootstrap.servers: is required (missing required config)',
      'edek_store_config.kafkacache.topic: is not a valid Kafka topic name',
      "edek_store_config.kafkacache.topic.num.partitions: must be an integer >= 1 (got '0')",
      "edek_store_config.kafkacache.backing.cache: only 'memory' is supported (got 'rocksdb')",
      "edek_store_config.kafkacache.sasl.mechanism: must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (got 'GSSAPI'; KafkaJS has no GSSAPI)",
      'edek_store_config.kafkacache.sasl.jaas.config: must be a PlainLoginModule/ScramLoginModule entry with username="…" password="…"',
      'edek_store_config.kafkacache.ssl.keystore.type: must be PEM when ssl.keystore.location is set (KafkaJS cannot read JKS)',
    ]);
    expect(problemsOf(() => parseEngineSettings({ ...base, edek_store_config: { 'kafkacache.topic': 't', nested: {} } as never }))).toEqual([
      'edek_store_config.nested: must be a string, number or boolean',
      'edek_store_config.kafkacache.bootstrap.servers: is required (missing required config)',
    ]);
  });

  it('KEKs without a store fail at construction, naming edek_store_config', async () => {
    await expect(Kryptonite.create({ ...base, envelope_kek_configs: [{ identifier: 'kek', kek_type: 'AWS', kek_uri: AWS_URI, kek_config: { accessKey: 'a', secretKey: 'b' } }] }))
      .rejects.toThrow(/^edek_store_config: envelope_kek_configs is set \(KMS envelope encryption enabled\) but edek_store_config is missing/);
  });
});
