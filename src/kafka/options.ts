// Options of the producer and consumer wrappers, validated once when the wrapper is created.
import type { Producer, RetryOptions } from 'kafkajs';
import { ConfigError } from '../errors';
import {
  compileTopicRules, createRegistryCodec, isRegistryFormat, registryOptionProblems, type RecordCipher, type SchemaRegistryOption, type TopicRouter,
  type TopicRule,
} from '../record';
import type { SchemaRegistryCodec, SrEngine } from '../schema-registry';

export interface EncryptingProducerOptions {
  /** The engine (a `Kryptonite` instance). */
  kryptonite: RecordCipher;
  /** Ordered topic rules; first match wins, unmatched topics are sent as they are. */
  topics: readonly TopicRule[];
  /** Backoff for retriable encryption failures (a key service timing out); KafkaJS' retry defaults when unset. */
  retry?: RetryOptions;
  /** The Schema Registry, required when a topic rule's value has format AVRO, JSON_SR or PROTOBUF. */
  schemaRegistry?: SchemaRegistryOption;
}

export interface DecryptingConsumerOptions {
  kryptonite: RecordCipher;
  topics: readonly TopicRule[];
  /** Writes dead-letter copies; required when a rule uses `onFailure: 'dead-letter'`. Connect it yourself. */
  producer?: Producer;
  /** The Schema Registry, required when a topic rule's value has format AVRO, JSON_SR or PROTOBUF. */
  schemaRegistry?: SchemaRegistryOption;
}

const ENGINE_METHODS = ['encryptRecord', 'decryptRecord', 'encryptValue', 'decryptValue'] as const;

function checkEngine(kryptonite: unknown, problems: string[]): void {
  if (typeof kryptonite !== 'object' || kryptonite === null) { problems.push('kryptonite: is required (a Kryptonite instance)'); return; }
  for (const m of ENGINE_METHODS) {
    if (typeof (kryptonite as Record<string, unknown>)[m] !== 'function') problems.push(`kryptonite.${m}: is not a function`);
  }
}

function fail(kind: string, problems: string[]): never {
  throw new ConfigError('INVALID_OPTIONS', `invalid ${kind} options (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`, { problems });
}

function routerOrProblems(topics: readonly TopicRule[], problems: string[]): TopicRouter | undefined {
  try {
    return compileTopicRules(topics);
  } catch (err) {
    if (err instanceof ConfigError) { problems.push(...err.problems); return undefined; }
    throw err;
  }
}

// Schema Registry rules need the registry connection and the engine's settings (the codec derives schemas with them).
// The raw rules are scanned, so these problems are reported even when other parts of the rules are invalid.
function checkRegistry(options: EncryptingProducerOptions | DecryptingConsumerOptions, problems: string[]): void {
  if (options.schemaRegistry !== undefined) problems.push(...registryOptionProblems(options.schemaRegistry, 'schemaRegistry'));
  const rules: readonly unknown[] = Array.isArray(options.topics) ? options.topics : [];
  const index = rules.findIndex((r) => isRegistryFormat((r as { value?: { format?: unknown } } | null)?.value?.format));
  if (index < 0) return;
  const uses = `topics[${index}].value.format is '${String((rules[index] as { value: { format: string } }).value.format)}'`;
  if (options.schemaRegistry === undefined) problems.push(`schemaRegistry: is required because ${uses} (give { host } or a RegistryClient)`);
  const settings = (options.kryptonite as unknown as { settings?: unknown } | undefined)?.settings;
  if (typeof options.kryptonite === 'object' && options.kryptonite !== null && (typeof settings !== 'object' || settings === null)) {
    problems.push(`kryptonite.settings: is required because ${uses} (pass a Kryptonite instance)`);
  }
}

// The rules' field lists are checked against the engine's settings when the wrapper is built, not at the first record.
function checkRuleFields(kryptonite: RecordCipher, router: TopicRouter | undefined, problems: string[]): void {
  if (router === undefined || typeof kryptonite?.checkFields !== 'function') return;
  for (const rule of router.rules) {
    for (const name of ['value', 'key'] as const) {
      const part = rule[name];
      if (part === undefined) continue;
      try {
        kryptonite.checkFields(part.kind === 'whole' ? [part.field] : part.fields);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        problems.push(...err.problems.map((problem) => `topics[${rule.index}].${name}: ${problem}`));
      }
    }
  }
}

/** The registry codec of a wrapper whose options passed validation, or undefined when no rule needs one. */
export function registryCodec(options: EncryptingProducerOptions | DecryptingConsumerOptions, router: TopicRouter): SchemaRegistryCodec | undefined {
  if (!router.rules.some((r) => r.value?.kind === 'registry') || options.schemaRegistry === undefined) return undefined;
  return createRegistryCodec(options.kryptonite as unknown as SrEngine, options.schemaRegistry);
}

export function validateProducerOptions(options: EncryptingProducerOptions): TopicRouter {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null) fail('encrypting producer', ['options: must be an object']);
  checkEngine(options.kryptonite, problems);
  const router = routerOrProblems(options.topics, problems);
  checkRuleFields(options.kryptonite, router, problems);
  checkRegistry(options, problems);
  if (problems.length > 0 || router === undefined) fail('encrypting producer', problems);
  return router;
}

export function validateConsumerOptions(options: DecryptingConsumerOptions): TopicRouter {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null) fail('decrypting consumer', ['options: must be an object']);
  checkEngine(options.kryptonite, problems);
  const router = routerOrProblems(options.topics, problems);
  checkRuleFields(options.kryptonite, router, problems);
  checkRegistry(options, problems);
  if (router?.rules.some((r) => r.onFailure === 'dead-letter') && typeof options.producer?.send !== 'function') {
    problems.push("producer: is required when a topic rule uses onFailure 'dead-letter'");
  }
  if (problems.length > 0 || router === undefined) fail('decrypting consumer', problems);
  return router;
}
