import { parseEngineSettings, parseFieldConfigs } from '../../src/config/settings';
import { ConfigError } from '../../src/errors';

const keyset = { primaryKeyId: 1, key: [] };
const base = { cipher_data_keys: [{ identifier: 'k1', material: keyset }] };

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('engine settings', () => {
  it('applies Kryptonite defaults', () => {
    const s = parseEngineSettings(base);
    expect(s.cipherAlgorithm).toBe('TINK/AES_GCM');
    expect(s.fieldMode).toBe('ELEMENT');
    expect(s.serdeType).toBe('KRYO');
    expect(s.pathDelimiter).toBe('.');
    expect(s.dynamicKeyIdPrefix).toBe('__#');
    expect(s.fpe).toEqual({ tweak: '0000000', alphabetType: 'ALPHANUMERIC', alphabetCustom: '' });
    expect(s.keyManagement.keySource).toBe('CONFIG');
    expect(s.keyManagement.kmsRefreshIntervalMinutes).toBe(0);
    expect(Object.isFrozen(s) && Object.isFrozen(s.keyManagement)).toBe(true);
  });

  it('reads JSON-text values as a Connect config carries them, and typed camelCase values alike', () => {
    const fields = [{ name: 'a.b', algorithm: 'TINK/AES_GCM_SIV', fieldMode: 'OBJECT' }];
    const fromText = parseEngineSettings({
      cipher_data_keys: JSON.stringify(base.cipher_data_keys), field_config: JSON.stringify(fields),
      kms_refresh_interval_minutes: '5', cipher_data_key_identifier: 'k1',
    });
    const fromObjects = parseEngineSettings({
      cipherDataKeys: base.cipher_data_keys, fieldConfig: fields as never, kmsRefreshIntervalMinutes: 5, cipherDataKeyIdentifier: 'k1',
    });
    expect(fromText).toEqual(fromObjects);
    expect(fromText.fieldConfig).toEqual(fields);
  });

  it('reports every problem at once, each with its option path', () => {
    const problems = problemsOf(() => parseEngineSettings({
      key_source: 'KMS', kms_type: 'NONE', cipher_algorithm: 'AES', field_mode: 'element', path_delimiter: '',
      cipher_fpe_tweak: 'short', field_config: '[{"name":"x","keyid":"k"}]', bogus_option: 1,
    } as never));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^bogus_option: unknown option/),
      expect.stringMatching(/^cipher_algorithm: must be one of/),
      expect.stringMatching(/^field_mode: must be one of .*got 'element'/),
      expect.stringMatching(/^path_delimiter: must not be empty/),
      expect.stringMatching(/^cipher_fpe_tweak: must be 7 \(FF3-1\) or 8 \(FF3\) bytes of UTF-8, got 5/),
      expect.stringMatching(/^field_config\[0\]\.keyid: unknown field config key/),
      expect.stringMatching(/^kms_type: must not be NONE when key_source is KMS/),
    ]));
    expect(problems).toHaveLength(7);
  });

  it('never echoes the text of malformed JSON (it may hold key material)', () => {
    const secret = 'GiBIZWxsbyFXb3JsZEZVQ0sxYWJjZGprbCQxMjM0NTY3OA';
    const problems = problemsOf(() => parseEngineSettings({ cipher_data_keys: `[{"identifier":"a","material":{"v":"${secret}"` }));
    expect(problems.join('\n')).toMatch(/^cipher_data_keys: is not valid JSON/);
    expect(problems.join('\n')).not.toContain(secret.slice(0, 12));
  });

  it('rejects duplicate keyset identifiers and duplicate field paths', () => {
    const problems = problemsOf(() => parseEngineSettings({
      cipher_data_keys: [{ identifier: 'a', material: keyset }, { identifier: 'a', material: keyset }],
      field_config: [{ name: 'x' }, { name: 'x' }],
    }));
    expect(problems).toEqual([
      "field_config[1].name: duplicate field path 'x'",
      "cipher_data_keys[1].identifier: duplicate identifier 'a'",
    ]);
  });

  it('requires the settings each key source needs', () => {
    expect(problemsOf(() => parseEngineSettings({}))).toEqual(['cipher_data_keys: is required when key_source is CONFIG']);
    expect(problemsOf(() => parseEngineSettings({ key_source: 'KMS_ENCRYPTED', kms_type: 'AWS_SM_SECRETS' }))).toEqual([
      'kek_type: must not be NONE when key_source is KMS_ENCRYPTED',
      'kek_uri: is required when key_source is KMS_ENCRYPTED',
    ]);
  });

  it('rejects the same option given in both spellings with different values', () => {
    expect(problemsOf(() => parseEngineSettings({ ...base, field_mode: 'OBJECT', fieldMode: 'ELEMENT' }))[0])
      .toMatch(/^field_mode: given twice/);
    expect(parseEngineSettings({ ...base, field_mode: 'OBJECT', fieldMode: 'OBJECT' }).fieldMode).toBe('OBJECT');
  });

  it('checks FPE alphabets, and lets a per-field CUSTOM type fall back to the global custom alphabet', () => {
    expect(problemsOf(() => parseEngineSettings({ ...base, cipher_fpe_alphabet_type: 'CUSTOM' })))
      .toEqual(['cipher_fpe_alphabet_custom: must contain at least 2 characters']);
    expect(problemsOf(() => parseEngineSettings({ ...base, cipher_fpe_alphabet_custom: 'abca' })))
      .toEqual(['cipher_fpe_alphabet_custom: must not contain duplicate characters']);
    const s = parseEngineSettings({ ...base, cipher_fpe_alphabet_custom: '01', field_config: [{ name: 'b', fpeAlphabetType: 'CUSTOM' }] });
    expect(s.fieldConfig[0]).toEqual({ name: 'b', fpeAlphabetType: 'CUSTOM' });
    // without engine settings at hand the check is left to the engine
    expect(parseFieldConfigs([{ name: 'b', fpeAlphabetType: 'CUSTOM' }], 'fields')).toEqual([{ name: 'b', fpeAlphabetType: 'CUSTOM' }]);
    expect(problemsOf(() => parseFieldConfigs([{ name: 'b', fpeAlphabetType: 'CUSTOM' }], 'fields', undefined, ''))).toEqual([
      'fields[0].fpeAlphabetCustom: is required when fpeAlphabetType is CUSTOM and cipher_fpe_alphabet_custom is not set',
    ]);
  });

  it('requires a cloud KEK and an EDEK store for TINK/AES_GCM_ENVELOPE_KMS fields', () => {
    expect(problemsOf(() => parseEngineSettings({ ...base, field_config: [{ name: 'x', algorithm: 'TINK/AES_GCM_ENVELOPE_KMS' }] })))
      .toEqual(['field_config[0].algorithm: TINK/AES_GCM_ENVELOPE_KMS needs envelope_kek_configs (a cloud KEK) and edek_store_config']);
  });
});

describe('key_source NONE', () => {
  it('an invalid envelope_kek_configs entry is reported on its own, not as a missing list', () => {
    const problems = problemsOf(() => parseEngineSettings({ key_source: 'NONE', envelope_kek_configs: [{ identifier: 'k' }] }));
    expect(problems.some((p) => p.startsWith('envelope_kek_configs[0]'))).toBe(true);
    expect(problems.some((p) => p.startsWith('key_source:'))).toBe(false);
    expect(problemsOf(() => parseEngineSettings({ key_source: 'NONE' }))).toEqual([
      'key_source: NONE requires envelope encryption to be configured — envelope_kek_configs must be a non-empty list of KEK entries',
    ]);
  });
});
