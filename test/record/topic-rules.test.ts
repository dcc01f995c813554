import { ConfigError } from '../../src/errors';
import { compileTopicRules } from '../../src/record';

const fields = { fields: [{ name: 'a' }] };

describe('compileTopicRules', () => {
  it('matches exact names and regexes over the whole topic name, first match wins', () => {
    const router = compileTopicRules([
      { topic: 'orders', value: fields, onFailure: 'skip' },
      { topic: /orders.*/, value: { fields: [{ name: 'b' }] } },
      { topicPattern: 'audit\\.[a-z]+', key: { whole: {} } },
    ]);
    expect(router.route('orders')?.index).toBe(0);
    expect(router.route('orders-eu')?.index).toBe(1);
    expect(router.route('audit.eu')?.index).toBe(2);
    expect(router.route('xorders')).toBeUndefined(); // anchored at the start
    expect(router.route('audit.eu.x')).toBeUndefined(); // and at the end
    expect(router.route('other')).toBeUndefined();
  });

  it('anchors a RegExp without a caret or dollar and ignores the stateful g flag', () => {
    const router = compileTopicRules([{ topic: /pay|refund/g, value: fields }]);
    for (let i = 0; i < 3; i++) expect(router.route('pay')?.index).toBe(0);
    expect(router.route('payment')).toBeUndefined();
    expect(router.route('xrefund')).toBeUndefined();
  });

  it('fills defaults: fail policy, <key>/<value> names for whole parts', () => {
    const [rule] = compileTopicRules([{ topic: 't', value: { whole: { keyId: 'x' } }, key: { whole: { algorithm: 'TINK/AES_GCM_SIV' } } }]).rules;
    expect(rule?.onFailure).toBe('fail');
    expect(rule?.value).toEqual({ kind: 'whole', field: { name: '<value>', keyId: 'x' } });
    expect(rule?.key).toEqual({ kind: 'whole', field: { name: '<key>', algorithm: 'TINK/AES_GCM_SIV' } });
  });

  it('accepts Kryptonite field_config JSON text', () => {
    const [rule] = compileTopicRules([{ topic: 't', value: { fields: '[{"name":"c.d","fieldMode":"ELEMENT"}]' } }]).rules;
    expect(rule?.value).toEqual({ kind: 'fields', fields: [{ name: 'c.d', fieldMode: 'ELEMENT' }] });
  });

  it('reports every problem with its option path in one ConfigError', () => {
    let error: unknown;
    try {
      compileTopicRules([
        { topic: 't', topicPattern: 'u', value: fields },
        { topicPattern: '(unclosed', value: fields },
        { topic: 'x', value: fields, onFailure: 'dead-letter' },
        { topic: 'y', value: { whole: { nope: 1 } as never } },
        { topic: 'z' },
        { topic: 'w', value: { fields: [{ name: 'a' }, { name: 'a' }] }, onFailure: 'drop' as never },
      ]);
    } catch (err) { error = err; }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/topics\[0\]: needs exactly one of topic, topicPattern/);
    expect(problems).toMatch(/topics\[1\]\.topicPattern: is not a valid regular expression/);
    expect(problems).toMatch(/topics\[2\]\.deadLetterTopic: is required/);
    expect(problems).toMatch(/topics\[3\]\.value\.whole\.nope: unknown field config key/);
    expect(problems).toMatch(/topics\[4\]: configures neither value nor key/);
    expect(problems).toMatch(/topics\[5\]\.value\.fields\[1\]\.name: duplicate/);
    expect(problems).toMatch(/topics\[5\]\.onFailure: must be one of fail, dead-letter, skip/);
  });
});
