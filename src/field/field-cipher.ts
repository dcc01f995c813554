// Encrypts and decrypts one leaf value: plaintext serde → envelope → cipher, or FPE. Synchronous on the hot
// path; a keyset or data key that is not loaded yet surfaces as PendingLoad, which the async caller loads and retries.
import { CryptoError, KeysetError, KryptoniteError, SerdeError, describeType } from '../errors';
import { ALGORITHM_IDS, K2Header, associatedData, parseEnvelope } from '../codec/envelope';
import type { PlaintextSerde, SerdeCode } from '../codec/serde';
import { kryoSerde } from '../codec/kryo-serde';
import { avroSerde } from '../codec/avro-serde';
import type { SerdeType } from '../config/types';
import type { Aead, DeterministicAead } from '../cipher/primitive';
import { createFpeCipher, type FpeCipher } from '../cipher/fpe';
import type { Keyset } from '../keyset/keyset';
import { keysetAead, keysetDeterministicAead, fpeKeyBytes } from '../keyset/keyset-aead';
import type { FieldPlan } from './field-plan';
import type { EnvelopeCiphers } from '../envelope/envelope-encryption';

/**
 * Thrown inside the synchronous walk when something must be loaded asynchronously first (a keyset from a
 * key store, a data key from a KMS). The engine awaits `load()` and runs the walk again; it never escapes.
 * `key` names what is loaded, so a load that does not help is detected instead of looping.
 */
export class PendingLoad {
  constructor(readonly key: string, readonly load: () => Promise<void>) {}
}

export interface KeysetLookup {
  /** The loaded keyset, or throws PendingLoad. */
  get(identifier: string): Keyset;
}

interface Primitives { aead?: Aead; daead?: DeterministicAead; fpe?: FpeCipher }

const SERDES: Record<SerdeType, PlaintextSerde> = { KRYO: kryoSerde, AVRO: avroSerde };
const SERDE_BY_CODE = new Map<string, PlaintextSerde>([[kryoSerde.code, kryoSerde], [avroSerde.code, avroSerde]]);
const ALGORITHM_BY_ID = new Map<string, string>(Object.entries(ALGORITHM_IDS).map(([name, id]) => [id, name]));

export class FieldCipher {
  private readonly primitives = new WeakMap<Keyset, Primitives>();
  private readonly headers = new Map<string, K2Header>();
  private readonly serde: PlaintextSerde;

  constructor(private readonly keys: KeysetLookup, serdeType: SerdeType, private readonly envelope?: EnvelopeCiphers) {
    this.serde = SERDES[serdeType];
  }

  encrypt(value: unknown, plan: FieldPlan, keyId: string): unknown {
    if (plan.algorithm === 'CUSTOM/MYSTO_FPE_FF3_1') return this.fpe(value, plan, keyId, true);
    if (keyId === '') {
      throw new KryptoniteError('NO_KEY_ID', plan.algorithm === 'TINK/AES_GCM_ENVELOPE_KMS'
        ? 'no KEK identifier configured (set keyId on the field or envelope_kek_identifier)'
        : 'no key id configured (set keyId on the field or cipher_data_key_identifier)');
    }
    const header = this.header(this.serde.code, ALGORITHM_IDS[plan.algorithm], keyId);
    if (plan.algorithm === 'TINK/AES_GCM_ENVELOPE_KMS') {
      // The KEK lives in a cloud KMS: no keyset is involved (key_source may be NONE).
      return header.wrap(this.envelopeCiphers().encryptWithKms(keyId, this.serde.serialize(value, plan.path), header.associatedData));
    }
    const keyset = this.keys.get(keyId);
    const plaintext = this.serde.serialize(value, plan.path);
    let ciphertext: Buffer;
    if (plan.algorithm === 'TINK/AES_GCM_SIV') ciphertext = this.daead(keyset, keyId).encryptDeterministically(plaintext, header.associatedData);
    else if (plan.algorithm === 'TINK/AES_GCM_ENVELOPE_KEYSET') {
      ciphertext = this.envelopeCiphers().encryptWithKeyset(keyId, this.aead(keyset, keyId), plaintext, header.associatedData);
    } else ciphertext = this.aead(keyset, keyId).encrypt(plaintext, header.associatedData);
    return header.wrap(ciphertext);
  }

  decrypt(value: unknown, plan: FieldPlan, fpeKeyId: () => string): unknown {
    if (plan.algorithm === 'CUSTOM/MYSTO_FPE_FF3_1') return this.fpe(value, plan, fpeKeyId(), false);
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string') {
      throw new SerdeError('NOT_CIPHERTEXT', `expected an encrypted field (Base64 text) but found ${describeType(value)}`);
    }
    const env = parseEnvelope(value);
    const serde = SERDE_BY_CODE.get(env.serdeCode);
    if (serde === undefined) throw new SerdeError('UNKNOWN_SERDE', `unknown serde code '${env.serdeCode}' in the envelope`);
    const aad = env.version === 'k2' ? this.header(serde.code, env.algorithmId, env.keyId).associatedData
      : associatedData(env.version, env.algorithmId, env.keyId);
    let plaintext: Buffer;
    try {
      if (env.algorithmId === ALGORITHM_IDS['TINK/AES_GCM']) plaintext = this.aead(this.keys.get(env.keyId), env.keyId).decrypt(env.ciphertext, aad);
      else if (env.algorithmId === ALGORITHM_IDS['TINK/AES_GCM_SIV']) {
        plaintext = this.daead(this.keys.get(env.keyId), env.keyId).decryptDeterministically(env.ciphertext, aad);
      } else if (env.algorithmId === ALGORITHM_IDS['TINK/AES_GCM_ENVELOPE_KEYSET']) {
        const kek = this.aead(this.keys.get(env.keyId), env.keyId);
        plaintext = this.envelopeCiphers().decryptWithKeyset(env.keyId, kek, env.ciphertext, aad);
      } else if (env.algorithmId === ALGORITHM_IDS['TINK/AES_GCM_ENVELOPE_KMS']) {
        plaintext = this.envelopeCiphers().decryptWithKms(env.keyId, env.ciphertext, aad);
      } else {
        const name = ALGORITHM_BY_ID.get(env.algorithmId);
        throw new CryptoError('UNSUPPORTED_ALGORITHM', name === undefined
          ? `algorithm id '${env.algorithmId}' in the envelope is not an AEAD algorithm`
          : `algorithm ${name} (id ${env.algorithmId}) never appears in an envelope (FPE values are not enveloped)`);
      }
    } catch (err) {
      if (!(err instanceof CryptoError) || err.code !== 'DECRYPTION_FAILED') throw err;
      throw new CryptoError('DECRYPTION_FAILED', `decryption with key id '${env.keyId}' failed: the ciphertext was tampered with ` +
        'or truncated, or was encrypted under another key or key id', { cause: err });
    }
    return serde.deserialize(plaintext);
  }

  private envelopeCiphers(): EnvelopeCiphers {
    if (this.envelope === undefined) throw new KryptoniteError('ENVELOPE_NOT_CONFIGURED', 'envelope encryption is not set up for this cipher');
    return this.envelope;
  }

  private fpe(value: unknown, plan: FieldPlan, keyId: string, encrypt: boolean): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string') {
      throw new SerdeError('FPE_NOT_STRING', `FPE only supports string values but found ${describeType(value)}`);
    }
    const cipher = this.fpeCipher(this.keys.get(keyId), keyId);
    return encrypt ? cipher.encrypt(value, plan.fpeTweak, plan.fpeAlphabet) : cipher.decrypt(value, plan.fpeTweak, plan.fpeAlphabet);
  }

  private header(serdeCode: SerdeCode, algorithmId: string, keyId: string): K2Header {
    const cacheKey = `${serdeCode}${algorithmId}${keyId}`;
    let h = this.headers.get(cacheKey);
    if (h === undefined) {
      h = new K2Header(serdeCode, algorithmId, keyId);
      if (this.headers.size > 10_000) this.headers.clear(); // dynamic key ids could otherwise grow this without bound
      this.headers.set(cacheKey, h);
    }
    return h;
  }

  private slot(keyset: Keyset): Primitives {
    let p = this.primitives.get(keyset);
    if (p === undefined) { p = {}; this.primitives.set(keyset, p); }
    return p;
  }

  private aead(keyset: Keyset, keyId: string): Aead {
    const p = this.slot(keyset);
    return (p.aead ??= withKeysetContext(keyId, () => keysetAead(keyset)));
  }

  private daead(keyset: Keyset, keyId: string): DeterministicAead {
    const p = this.slot(keyset);
    return (p.daead ??= withKeysetContext(keyId, () => keysetDeterministicAead(keyset)));
  }

  private fpeCipher(keyset: Keyset, keyId: string): FpeCipher {
    const p = this.slot(keyset);
    return (p.fpe ??= withKeysetContext(keyId, () => createFpeCipher(fpeKeyBytes(keyset))));
  }
}

function withKeysetContext<T>(keyId: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof KryptoniteError) {
      throw new KeysetError(err.code, `keyset '${keyId}' cannot serve this algorithm: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
