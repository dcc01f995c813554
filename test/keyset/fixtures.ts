// Public test keysets of Kryptonite for Kafka 0.7.0 (kryptonite-test-fixtures, PlaintextKeysets.java),
// used by the worked examples in wire-format.md. Test data only; these keys are published.

export const KEYSET_B = {
  primaryKeyId: 1000000002,
  key: [{
    keyData: { typeUrl: 'type.googleapis.com/google.crypto.tink.AesGcmKey', value: 'GiBIZWxsbyFXb3JsZEZVQ0sxYWJjZGprbCQxMjM0NTY3OA==', keyMaterialType: 'SYMMETRIC' },
    status: 'ENABLED', keyId: 1000000002, outputPrefixType: 'TINK',
  }],
};

export const KEYSET_A = {
  primaryKeyId: 1000000001,
  key: [{
    keyData: { typeUrl: 'type.googleapis.com/google.crypto.tink.AesGcmKey', value: 'GhDRulECKAC8/19NMXDjeCjK', keyMaterialType: 'SYMMETRIC' },
    status: 'ENABLED', keyId: 1000000001, outputPrefixType: 'TINK',
  }],
};

export const KEYSET_9 = {
  primaryKeyId: 1000000003,
  key: [{
    keyData: {
      typeUrl: 'type.googleapis.com/google.crypto.tink.AesSivKey',
      value: 'EkByiHi3H9shy2FO5UWgStNMmgqF629esenhnm0wZZArUkEU1/9l9J3ajJQI0GxDwzM1WFZK587W0xVB8KK4dqnz',
      keyMaterialType: 'SYMMETRIC',
    },
    status: 'ENABLED', keyId: 1000000003, outputPrefixType: 'TINK',
  }],
};

export const KEYSET_C_FPE = {
  primaryKeyId: 2000001,
  key: [{
    keyData: { typeUrl: 'io.github.hpgrahsl.kryptonite/crypto.custom.mysto.fpe.FpeKey', value: 'VU5O0VBE6+bIygj2z/BiVg==', keyMaterialType: 'SYMMETRIC' },
    status: 'ENABLED', keyId: 2000001, outputPrefixType: 'RAW',
  }],
};

/** A deep copy, so a test can break one field without touching the shared object. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
