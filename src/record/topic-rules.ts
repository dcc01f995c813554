// Per-topic routing: an ordered list of rules, each naming topics exactly or by a regular expression anchored
// at both ends; the first matching rule decides how key and value are handled, unmatched topics pass through.
import { parseFieldConfigs } from '../config/settings';
import type { FieldConfig } from '../config/types';
import { ConfigError } from '../errors';
import { WHOLE_KEY_PATH, WHOLE_VALUE_PATH } from './record-cipher';

export const FAILURE_POLICIES = ['fail', 'dead-letter', 'skip'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

/** Field settings for a whole key or value; `name` only labels errors and defaults to `<key>` / `<value>`. */
export type WholeFieldConfig = Omit<FieldConfig, 'name'> & { name?: string };

/** Record formats of a part: plain JSON objects, or Schema Registry framed values (magic byte, schema id, payload). */
export const RECORD_FORMATS = ['JSON', 'AVRO', 'JSON_SR', 'PROTOBUF'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];
export type RegistryFormat = Exclude<RecordFormat, 'JSON'>;
export const isRegistryFormat = (f: unknown): f is RegistryFormat => f === 'AVRO' || f === 'JSON_SR' || f === 'PROTOBUF';

/**
 * How one part (key or value) of a record is encrypted:
 * - `{ fields }` (or `{ format: 'JSON', fields }`): the part is a JSON object (string or Buffer); the listed field
 *   paths are encrypted in place. `fields` takes FieldConfig objects or Kryptonite `field_config` JSON text.
 * - `{ format: 'AVRO' | 'JSON_SR' | 'PROTOBUF', fields }`: the value is a Schema Registry framed record of that
 *   format; the listed fields are encrypted and the record re-framed with a derived encrypted schema (values only,
 *   needs the wrapper's `schemaRegistry` option). A consumer decrypts the listed top-level fields.
 * - `{ whole }`: the whole part (any bytes or text) is encrypted as one field and replaced by its ciphertext text.
 */
export type PartRule = { format?: RecordFormat; fields: readonly FieldConfig[] | string } | { whole: WholeFieldConfig };

export interface TopicRule {
  /** An exact topic name, or a RegExp that must match the whole name (it is anchored at both ends). */
  topic?: string | RegExp;
  /** A regular expression source, anchored at both ends (for rules written as JSON/YAML, like Kroxylicious' topic_pattern). */
  topicPattern?: string;
  value?: PartRule;
  key?: PartRule;
  /** Consumer side, for records that cannot be decrypted. Default `fail`. */
  onFailure?: FailurePolicy;
  /** Required with `onFailure: 'dead-letter'`. */
  deadLetterTopic?: string;
}

export type CompiledPart =
  | { kind: 'fields'; fields: readonly FieldConfig[] }
  | { kind: 'whole'; field: FieldConfig }
  /** `names`: the configured field paths, which a consumer decrypts (the registry's metadata says how). */
  | { kind: 'registry'; format: RegistryFormat; fields: readonly FieldConfig[]; names: readonly string[] };

export interface CompiledRule {
  readonly index: number;
  readonly matches: (topic: string) => boolean;
  readonly value: CompiledPart | undefined;
  readonly key: CompiledPart | undefined;
  readonly onFailure: FailurePolicy;
  readonly deadLetterTopic: string | undefined;
}

export interface TopicRouter {
  readonly rules: readonly CompiledRule[];
  /** The first rule matching `topic`, or undefined when the topic passes through untouched. */
  route(topic: string): CompiledRule | undefined;
}

interface ProblemList { readonly list: string[]; add(path: string, message: string): void }

function problemList(): ProblemList {
  const list: string[] = [];
  return { list, add: (path, message) => { list.push(`${path}: ${message}`); } };
}

function anchored(source: string, flags: string, at: string, p: ProblemList): RegExp | undefined {
  try {
    // A stateful flag would make test() depend on the previous call.
    return new RegExp(`^(?:${source})$`, flags.replace(/[gy]/g, ''));
  } catch {
    p.add(at, 'is not a valid regular expression');
    return undefined;
  }
}

function compileMatcher(rule: TopicRule, at: string, p: ProblemList): ((topic: string) => boolean) | undefined {
  const given = [rule.topic !== undefined, rule.topicPattern !== undefined].filter(Boolean).length;
  if (given !== 1) { p.add(at, 'needs exactly one of topic, topicPattern'); return undefined; }
  if (typeof rule.topic === 'string') {
    if (rule.topic.length === 0) { p.add(`${at}.topic`, 'must be a non-empty topic name'); return undefined; }
    const name = rule.topic;
    return (t) => t === name;
  }
  const re = rule.topic instanceof RegExp ? anchored(rule.topic.source, rule.topic.flags, `${at}.topic`, p)
    : typeof rule.topicPattern === 'string' ? anchored(rule.topicPattern, '', `${at}.topicPattern`, p) : undefined;
  if (re === undefined) {
    if (rule.topic !== undefined && !(rule.topic instanceof RegExp)) p.add(`${at}.topic`, 'must be a string or a RegExp');
    if (rule.topicPattern !== undefined && typeof rule.topicPattern !== 'string') p.add(`${at}.topicPattern`, 'must be a string');
    return undefined;
  }
  return (t) => re.test(t);
}

const WHOLE_KEYS = new Set(['name', 'algorithm', 'keyId', 'fieldMode', 'fpeTweak', 'fpeAlphabetType', 'fpeAlphabetCustom']);

function compilePart(part: unknown, at: string, name: 'key' | 'value', p: ProblemList): CompiledPart | undefined {
  if (part === undefined) return undefined;
  if (typeof part !== 'object' || part === null) { p.add(at, 'must be { fields: [...] }, { format, fields: [...] } or { whole: {...} }'); return undefined; }
  const o = part as Record<string, unknown>;
  const keys = Object.keys(o);
  const shapeOk = keys.length === 1 ? keys[0] === 'fields' || keys[0] === 'whole'
    : keys.length === 2 && keys.includes('format') && keys.includes('fields');
  if (!shapeOk) {
    p.add(at, keys.includes('format') && keys.includes('whole') ? 'format applies to fields, not to whole'
      : 'must have exactly one of fields, whole (plus an optional format with fields)');
    return undefined;
  }
  if ('fields' in o) {
    const format = o.format ?? 'JSON';
    if (!RECORD_FORMATS.includes(format as RecordFormat)) { p.add(`${at}.format`, `must be one of ${RECORD_FORMATS.join(', ')}`); return undefined; }
    if (isRegistryFormat(format) && name === 'key') {
      p.add(`${at}.format`, `'${format}' applies to record values only; keys are JSON or whole`);
      return undefined;
    }
    const before = p.list.length;
    const fields = parseFieldConfigs(o.fields, `${at}.fields`, p);
    if (fields.length === 0 && p.list.length === before) p.add(`${at}.fields`, 'must list at least one field');
    if (isRegistryFormat(format)) return { kind: 'registry', format, fields, names: fields.map((f) => f.name) };
    return { kind: 'fields', fields };
  }
  const whole = o.whole;
  if (typeof whole !== 'object' || whole === null || Array.isArray(whole)) { p.add(`${at}.whole`, 'must be an object'); return undefined; }
  for (const k of Object.keys(whole)) if (!WHOLE_KEYS.has(k)) p.add(`${at}.whole.${k}`, 'unknown field config key');
  // Reuse the field-config validation for algorithm, key id and FPE settings.
  const entry = { ...(whole as Record<string, unknown>) };
  if (entry.name === undefined) entry.name = name === 'key' ? WHOLE_KEY_PATH : WHOLE_VALUE_PATH;
  const [field] = parseFieldConfigs([entry], `${at}.whole`, p);
  return field === undefined ? undefined : { kind: 'whole', field };
}

/** Validates every rule and reports all problems, with their option paths, in one ConfigError. */
export function compileTopicRules(rules: readonly TopicRule[], path = 'topics'): TopicRouter {
  const p = problemList();
  const compiled: CompiledRule[] = [];
  if (!Array.isArray(rules)) {
    p.add(path, 'must be an array of topic rules');
  } else {
    rules.forEach((rule: TopicRule, index) => {
      const at = `${path}[${index}]`;
      if (typeof rule !== 'object' || rule === null) { p.add(at, 'must be an object'); return; }
      const matches = compileMatcher(rule, at, p);
      const value = compilePart(rule.value, `${at}.value`, 'value', p);
      const key = compilePart(rule.key, `${at}.key`, 'key', p);
      const onFailure = rule.onFailure ?? 'fail';
      if (!FAILURE_POLICIES.includes(onFailure)) p.add(`${at}.onFailure`, `must be one of ${FAILURE_POLICIES.join(', ')}`);
      if (onFailure === 'dead-letter' && (typeof rule.deadLetterTopic !== 'string' || rule.deadLetterTopic.length === 0)) {
        p.add(`${at}.deadLetterTopic`, "is required when onFailure is 'dead-letter'");
      }
      if (rule.deadLetterTopic !== undefined && onFailure !== 'dead-letter') {
        p.add(`${at}.deadLetterTopic`, "is only used with onFailure 'dead-letter'");
      }
      if (value === undefined && key === undefined && rule.value === undefined && rule.key === undefined) {
        p.add(at, 'configures neither value nor key');
      }
      if (matches !== undefined) {
        compiled.push(Object.freeze({ index, matches, value, key, onFailure, deadLetterTopic: rule.deadLetterTopic }));
      }
    });
  }
  if (p.list.length > 0) {
    throw new ConfigError('INVALID_TOPIC_RULES', `invalid topic rules (${p.list.length} problem(s)):\n- ${p.list.join('\n- ')}`,
      { problems: p.list });
  }
  const cache = new Map<string, CompiledRule | null>();
  return {
    rules: compiled,
    route(topic) {
      let hit = cache.get(topic);
      if (hit === undefined) {
        hit = compiled.find((r) => r.matches(topic)) ?? null;
        // Topic names are few; the cache keeps regex matching off the per-message path.
        if (cache.size < 10_000) cache.set(topic, hit);
      }
      return hit ?? undefined;
    },
  };
}
