// The public engine: encrypts and decrypts configured fields of JSON documents, or single values, with
// Kryptonite-compatible envelopes and keys. Usable on its own, and by the KafkaJS middleware.
import { KryptoniteError } from './errors';
import type { KryptoniteOptions } from './config/options';
import { parseEngineSettings, parseFieldConfigs, type EngineSettings } from './config/settings';
import type { FieldConfig } from './config/types';
import type { KeysetResolver } from './keys/ports';
import type { Keyset } from './keyset/keyset';
import { createKeysetResolver, type KeysetResolverDeps } from './keys/keyset-resolver';
import { isPlainObject, type JsonObject } from './paths/field-path';
import { compileFields, planField, type CompiledFields, type FieldPlan } from './field/field-plan';
import { FieldCipher, PendingLoad, type KeysetLookup } from './field/field-cipher';
import { FieldWalker, type Direction } from './field/field-walker';
import { createEnvelope, type EnvelopeDependencies, type EnvelopeRuntime } from './envelope/create-envelope';
import { WalkScope } from './envelope/dek-sessions';
import type { EnvelopeStats } from './envelope/envelope-encryption';
import { withEnvelopeKekIds } from './envelope/kek-key-ids';

export interface KryptoniteDependencies {
  /** Replaces the keyset resolver built from the key_source settings (tests, custom key stores). */
  keysetResolver?: KeysetResolver<Keyset>;
  /** Options for the resolver built from key_source: cloud client options, logger, retries, refresh timing. */
  keys?: KeysetResolverDeps;
  /** Envelope encryption (05/06): an EDEK store or KEKs of your own, the DEK session clock. */
  envelope?: EnvelopeDependencies;
}

export class Kryptonite {
  readonly settings: EngineSettings;
  private readonly resolver: KeysetResolver<Keyset>;
  private readonly fetched = new Map<string, Keyset>();
  private readonly walker: FieldWalker;
  private readonly compiledDefault: CompiledFields;
  private readonly compiledCache = new WeakMap<readonly FieldConfig[], CompiledFields>();
  private readonly singlePlans = new WeakMap<FieldConfig, FieldPlan>();
  private closed = false;

  private readonly envelope: EnvelopeRuntime;

  private constructor(settings: EngineSettings, resolver: KeysetResolver<Keyset>, envelope: EnvelopeRuntime) {
    this.settings = settings;
    this.resolver = resolver;
    this.envelope = envelope;
    const lookup: KeysetLookup = {
      get: (id) => {
        // The resolver's own cache first (it sees refreshes); `fetched` serves resolvers without `peek`.
        const ks = resolver.peek?.(id) ?? this.fetched.get(id);
        if (ks === undefined) {
          throw new PendingLoad(`keyset:${id}`, async () => { this.fetched.set(id, await resolver.resolve(id)); });
        }
        return ks;
      },
    };
    this.walker = new FieldWalker(new FieldCipher(lookup, settings.serdeType, envelope.encryption), settings);
    this.compiledDefault = compileFields(this.withKekIds(settings.fieldConfig), settings);
  }

  /** Validates the options (every problem reported at once) and loads the keysets. */
  static async create(options: KryptoniteOptions, deps: KryptoniteDependencies = {}): Promise<Kryptonite> {
    const settings = parseEngineSettings(options);
    const resolver = deps.keysetResolver ?? await createKeysetResolver(settings.keyManagement, deps.keys);
    let envelope: EnvelopeRuntime;
    try {
      envelope = await createEnvelope(settings.envelope, deps.envelope, deps.keys?.providers);
    } catch (err) {
      await resolver.close();
      throw err;
    }
    return new Kryptonite(settings, resolver, envelope);
  }

  /** DEK sessions created and KMS wrap/unwrap calls made so far by envelope encryption (05/06). */
  envelopeStats(): EnvelopeStats {
    return this.envelope.encryption.stats();
  }

  /** Encrypts the configured fields of a document; returns a new document. `fields` defaults to field_config. */
  encryptRecord(record: JsonObject, fields?: readonly FieldConfig[]): Promise<JsonObject> {
    return this.processRecord(record, fields, 'encrypt');
  }

  decryptRecord(record: JsonObject, fields?: readonly FieldConfig[]): Promise<JsonObject> {
    return this.processRecord(record, fields, 'decrypt');
  }

  /** Encrypts one whole value as the field `field.name` (ELEMENT mode keeps arrays/objects and encrypts their leaves). */
  encryptValue(value: unknown, field: FieldConfig): Promise<unknown> {
    return this.processSingle(value, field, 'encrypt');
  }

  decryptValue(value: unknown, field: FieldConfig): Promise<unknown> {
    return this.processSingle(value, field, 'decrypt');
  }

  /** Checks a field list against these settings (FPE alphabets, envelope KEK ids) now rather than at its first record. */
  checkFields(fields: readonly FieldConfig[]): void {
    this.compiled(fields);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.resolver.close(), this.envelope.close()]);
  }

  private async processRecord(record: JsonObject, fields: readonly FieldConfig[] | undefined, direction: Direction): Promise<JsonObject> {
    if (!isPlainObject(record)) {
      throw new KryptoniteError('NOT_A_RECORD', 'a record must be a plain JSON object; use encryptValue for other values');
    }
    const compiled = this.compiled(fields);
    return this.withKeys(() => this.walker.processRecord(record, compiled, direction));
  }

  private processSingle(value: unknown, field: FieldConfig, direction: Direction): Promise<unknown> {
    let plan = this.singlePlans.get(field);
    if (plan === undefined) {
      const [fc] = this.withKekIds(parseFieldConfigs([field], 'field', undefined, this.settings.fpe.alphabetCustom));
      plan = planField(fc as FieldConfig, this.settings);
      this.singlePlans.set(field, plan);
    }
    const resolved = plan;
    const root: JsonObject = isPlainObject(value) ? value : {};
    return this.withKeys(() => this.walker.processValue(value, resolved, undefined, direction, root));
  }

  /** Runs the synchronous walk; when it needs something loaded (a keyset, a data key), loads it and runs the walk again. */
  private async withKeys<T>(walk: () => T): Promise<T> {
    if (this.closed) throw new KryptoniteError('CLOSED', 'this Kryptonite instance is closed');
    const loaded = new Set<string>();
    const scope = new WalkScope();
    const envelope = this.envelope.encryption;
    for (;;) {
      envelope.enter(scope);
      try {
        const result = walk();
        envelope.leave(true);
        return result;
      } catch (err) {
        // The attempt's output is discarded: DEK uses it counted are given back.
        envelope.leave(false);
        if (!(err instanceof PendingLoad)) throw err;
        if (loaded.has(err.key)) throw new KryptoniteError('LOAD_FAILED', `${err.key} was loaded but is still not available`);
        loaded.add(err.key);
        await err.load();
      }
    }
  }

  private compiled(fields: readonly FieldConfig[] | undefined): CompiledFields {
    if (fields === undefined || fields === this.settings.fieldConfig) return this.compiledDefault;
    let c = this.compiledCache.get(fields);
    if (c === undefined) {
      c = compileFields(this.withKekIds(parseFieldConfigs(fields, 'fields', undefined, this.settings.fpe.alphabetCustom)), this.settings);
      this.compiledCache.set(fields, c);
    }
    return c;
  }

  private withKekIds(fields: readonly FieldConfig[]): readonly FieldConfig[] {
    return withEnvelopeKekIds(fields, this.settings.cipherAlgorithm, this.settings.envelope.kekIdentifier);
  }
}

