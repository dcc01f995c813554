// Options of the producer and consumer wrappers, validated once when the wrapper is created.
import type { Producer, RetryOptions } from 'kafkajs';
import { ConfigError } from '../errors';
import { compileTopicRules, type RecordCipher, type TopicRouter, type TopicRule } from '../record';

export interface EncryptingProducerOptions {
  /** The engine (a `Kryptonite` instance). */
  kryptonite: RecordCipher;
  /** Ordered topic rules; first match wins, unmatched topics are sent as they are. */
  topics: readonly TopicRule[];
  /** Backoff for retriable encryption failures (a key service timing out); KafkaJS' retry defaults when unset. */
  retry?: RetryOptions;
}

export interface DecryptingConsumerOptions {
  kryptonite: RecordCipher;
  topics: readonly TopicRule[];
  /** Writes dead-letter copies; required when a rule uses `onFailure: 'dead-letter'`. Connect it yourself. */
  producer?: Producer;
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

export function validateProducerOptions(options: EncryptingProducerOptions): TopicRouter {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null) fail('encrypting producer', ['options: must be an object']);
  checkEngine(options.kryptonite, problems);
  const router = routerOrProblems(options.topics, problems);
  if (problems.length > 0 || router === undefined) fail('encrypting producer', problems);
  return router;
}

export function validateConsumerOptions(options: DecryptingConsumerOptions): TopicRouter {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null) fail('decrypting consumer', ['options: must be an object']);
  checkEngine(options.kryptonite, problems);
  const router = routerOrProblems(options.topics, problems);
  if (router?.rules.some((r) => r.onFailure === 'dead-letter') && typeof options.producer?.send !== 'function') {
    problems.push("producer: is required when a topic rule uses onFailure 'dead-letter'");
  }
  if (problems.length > 0 || router === undefined) fail('decrypting consumer', problems);
  return router;
}
