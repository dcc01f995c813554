// Small readers for kms_config / kek_config objects (Kryptonite passes them as JSON strings; our config
// layer hands over parsed objects; both are accepted). Errors name the option path, never the value.
import { ConfigError } from '../errors';

export type ConfigObject = Readonly<Record<string, unknown>>;

/** The option as an object: parses a JSON string, accepts an object, treats undefined/'' as {}. */
export function configObject(value: unknown, option: string): ConfigObject {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      // JSON.parse messages quote the input, which may hold credentials: report without them.
      throw new ConfigError('CONFIG_INVALID', `${option} is not valid JSON`);
    }
    return configObject(parsed, option);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('CONFIG_INVALID', `${option} must be a JSON object`);
  }
  return value as ConfigObject;
}

/** A string field or undefined; an empty string counts as unset (Kryptonite examples leave fields blank). */
export function optionalString(obj: ConfigObject, key: string, option: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ConfigError('CONFIG_INVALID', `${option}.${key} must be a string`);
  return v;
}

export function optionalBoolean(obj: ConfigObject, key: string, option: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ConfigError('CONFIG_INVALID', `${option}.${key} must be true or false`);
  return v;
}

/** Copies only defined entries, so SDK defaults (and their environment variables) stay in force. */
export function definedOnly<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
