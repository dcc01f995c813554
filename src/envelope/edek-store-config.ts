// `edek_store_config`: Kryptonite's KCache settings (`kafkacache.*`) mapped onto what a KafkaJS-based store
// needs. Unknown keys are rejected rather than ignored, so a security setting this port cannot honour never
// silently turns into a plaintext connection.
import type { ReportProblem } from './kek-configs';

export interface KafkaEdekStoreConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** undefined: min(3, number of brokers), like KCache's default of 3 on a cluster that has them. */
  readonly replicationFactor: number | undefined;
  readonly numPartitions: number;
  readonly requireCompact: boolean;
  /** Bound on the start-up read of the whole topic. */
  readonly initTimeoutMs: number;
  /** Bound on one write (send + acknowledgement). */
  readonly timeoutMs: number;
  /** A lookup miss waits at most this long for the store to catch up with the topic (our extension). */
  readonly lookupWaitMs: number;
  readonly groupIdPrefix: string;
  readonly clientId: string;
  readonly security: EdekStoreSecurity;
}

export interface EdekStoreSecurity {
  readonly protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  readonly saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username?: string;
  readonly password?: string;
  /** PEM files (KafkaJS has no JKS/PKCS12 reader). */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly keyPassword?: string;
  readonly verifyHostname: boolean;
}

export const LOOKUP_WAIT_KEY = 'k4k.lookup.wait.ms';
const P = 'kafkacache.';
const SUPPORTED = [
  'bootstrap.servers', 'topic', 'topic.replication.factor', 'topic.num.partitions', 'topic.require.compact', 'init.timeout.ms',
  'timeout.ms', 'group.id', 'client.id', 'backing.cache', 'security.protocol', 'sasl.mechanism', 'sasl.jaas.config',
  'ssl.truststore.location', 'ssl.truststore.type', 'ssl.keystore.location', 'ssl.keystore.type', 'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
].map((k) => P + k);
const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
const MECHANISMS = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' } as const;

/** Validates the (string-valued) map; returns undefined when a problem was reported. */
export function parseEdekStoreConfig(cfg: Readonly<Record<string, string>>, report: ReportProblem, path = 'edek_store_config'): KafkaEdekStoreConfig | undefined {
  let ok = true;
  const problem = (key: string, message: string): void => { report(`${path}.${key}`, message); ok = false; };
  for (const key of Object.keys(cfg)) {
    if (!SUPPORTED.includes(key) && key !== LOOKUP_WAIT_KEY) problem(key, `unknown or unsupported setting (supported: ${[...SUPPORTED, LOOKUP_WAIT_KEY].join(', ')})`);
  }
  const get = (k: string): string | undefined => { const v = cfg[P + k]; return v === undefined || v.trim() === '' ? undefined : v.trim(); };
  const int = (k: string, dflt: number, min: number): number => {
    const full = k.startsWith('k4k.') ? k : P + k;
    const raw = k.startsWith('k4k.') ? cfg[k]?.trim() : get(k);
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) { problem(full, `must be an integer >= ${min} (got '${raw}')`); return dflt; }
    return n;
  };

  const servers = get('bootstrap.servers');
  const brokers = (servers ?? '').split(',').map((s) => s.trim().replace(/^[A-Z_]+:\/\//, '')).filter(Boolean);
  if (servers === undefined) problem(`${P}bootstrap.servers`, 'is required (missing required config)');
  else if (brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) problem(`${P}bootstrap.servers`, 'must be a comma-separated list of host:port');
  const topic = get('topic');
  if (topic === undefined) problem(`${P}topic`, 'is required (missing required config)');
  else if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) problem(`${P}topic`, 'is not a valid Kafka topic name');
  const rf = get('topic.replication.factor') === undefined ? undefined : int('topic.replication.factor', 1, 1);
  const numPartitions = int('topic.num.partitions', 1, 1);
  const compact = get('topic.require.compact') ?? 'true';
  if (compact !== 'true' && compact !== 'false') problem(`${P}topic.require.compact`, "must be 'true' or 'false'");
  const backing = get('backing.cache') ?? 'memory';
  if (backing !== 'memory') problem(`${P}backing.cache`, `only 'memory' is supported (got '${backing}')`);

  const protocol = get('security.protocol') ?? 'PLAINTEXT';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) problem(`${P}security.protocol`, `must be one of ${PROTOCOLS.join(', ')}`);
  const sasl = protocol.startsWith('SASL_');
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL';
  let saslMechanism: EdekStoreSecurity['saslMechanism'];
  let username: string | undefined;
  let password: string | undefined;
  if (sasl) {
    const m = get('sasl.mechanism') ?? 'GSSAPI';
    saslMechanism = (MECHANISMS as Record<string, EdekStoreSecurity['saslMechanism']>)[m];
    if (saslMechanism === undefined) problem(`${P}sasl.mechanism`, `must be one of ${Object.keys(MECHANISMS).join(', ')} (got '${m}'; KafkaJS has no ${m})`);
    const jaas = get('sasl.jaas.config');
    const u = jaas && /\busername\s*=\s*"([^"]*)"/.exec(jaas);
    const pw = jaas && /\bpassword\s*=\s*"([^"]*)"/.exec(jaas);
    if (!u || !pw) problem(`${P}sasl.jaas.config`, 'must be a PlainLoginModule/ScramLoginModule entry with username="…" password="…"');
    else { username = u[1]; password = pw[1]; }
  }
  for (const store of ['truststore', 'keystore'] as const) {
    const type = get(`ssl.${store}.type`);
    if (get(`ssl.${store}.location`) !== undefined && type !== 'PEM') {
      problem(`${P}ssl.${store}.type`, `must be PEM when ssl.${store}.location is set (KafkaJS cannot read ${type ?? 'JKS'})`);
    }
  }
  const keystore = get('ssl.keystore.location');
  const initTimeoutMs = int('init.timeout.ms', 300_000, 1);
  const timeoutMs = int('timeout.ms', 60_000, 1);
  const lookupWaitMs = int(LOOKUP_WAIT_KEY, 5_000, 0);
  if (!ok) return undefined;
  return {
    brokers, topic: topic as string, replicationFactor: rf, numPartitions, requireCompact: compact === 'true',
    initTimeoutMs, timeoutMs, lookupWaitMs,
    groupIdPrefix: get('group.id') ?? 'k4k-edek-store', clientId: get('client.id') ?? 'k4k-edek-store',
    security: {
      protocol: protocol as EdekStoreSecurity['protocol'],
      ...(saslMechanism ? { saslMechanism, username, password } : {}),
      ...(tls && get('ssl.truststore.location') ? { caFile: get('ssl.truststore.location') } : {}),
      // A PEM keystore holds the certificate chain and the private key in one file.
      ...(tls && keystore ? { certFile: keystore, keyFile: keystore } : {}),
      ...(tls && get('ssl.key.password') ? { keyPassword: get('ssl.key.password') } : {}),
      verifyHostname: (cfg[`${P}ssl.endpoint.identification.algorithm`] ?? 'https').trim() !== '',
    },
  };
}
