// Errors that drive behaviour: a stable `code`, a `retriable` flag (KafkaJS retries anything not marked
// `retriable: false`) and an optional field path. Messages never carry plaintext or key bytes.

export interface KryptoniteErrorOptions {
  /** The field path the error is about, e.g. `customer.email`. Never the field value. */
  fieldPath?: string;
  /** Whether retrying the same operation may succeed (a KMS timeout is, a bad ciphertext is not). */
  retriable?: boolean;
  cause?: unknown;
}

export class KryptoniteError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly fieldPath: string | undefined;

  constructor(code: string, message: string, options: KryptoniteErrorOptions = {}) {
    super(options.fieldPath !== undefined ? `${message} (field '${options.fieldPath}')` : message,
      options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.fieldPath = options.fieldPath;
  }

  /** A copy of this error bound to a field path (keeps code, retriable flag and cause). */
  atField(fieldPath: string): KryptoniteError {
    if (this.fieldPath !== undefined) return this;
    const Ctor = this.constructor as new (code: string, message: string, o: KryptoniteErrorOptions) => KryptoniteError;
    const copy = new Ctor(this.code, this.message, { fieldPath, retriable: this.retriable, cause: this.cause });
    return copy;
  }
}

/** Invalid options; reported at construction with every problem and its option path. */
export class ConfigError extends KryptoniteError {
  readonly problems: readonly string[];
  constructor(code: string, message: string, options: KryptoniteErrorOptions & { problems?: string[] } = {}) {
    super(code, message, options);
    this.problems = options.problems ?? [message];
  }
}

/** Malformed or invalid keyset material (never includes key bytes). */
export class KeysetError extends KryptoniteError {}

/** A key id that no loaded keyset provides. */
export class KeyNotFoundError extends KryptoniteError {}

/** Authentication failure, tampered/truncated ciphertext, wrong key: not retriable. */
export class CryptoError extends KryptoniteError {}

/** Plaintext (de)serialisation failure: unsupported type, malformed Kryo/Avro bytes. */
export class SerdeError extends KryptoniteError {}

/** A failure talking to a key service. Timeouts and throttling are retriable; permission errors are not. */
export class KmsError extends KryptoniteError {}

/** Wraps any thrown value into a KryptoniteError without copying its message if it might carry data. */
export function asKryptoniteError(err: unknown, code: string, message: string, options: KryptoniteErrorOptions = {}): KryptoniteError {
  if (err instanceof KryptoniteError) return options.fieldPath !== undefined ? err.atField(options.fieldPath) : err;
  return new KryptoniteError(code, message, { ...options, cause: err });
}

/** A JS type name for error messages ("a string", "an array", "bytes", "a Date"): never the value itself. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
  }
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
