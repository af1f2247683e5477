import { App, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { PropsValidator, validateAtSynth, validateAtSynthAndNow } from '../../lib/core/validation';

const scope = () => new Construct(new Stack(new App(), 'Checks'), 'Thing');

describe('PropsValidator whole-number and duration helpers', () => {
  test.each([
    ['wholeNumber at least', (v: PropsValidator) => v.wholeNumber('count', 1.5, 1), 'count (1.5) must be a whole number of at least 1'],
    ['wholeNumber between', (v: PropsValidator) => v.wholeNumber('count', 9, 1, 8), 'count (9) must be a whole number between 1 and 8'],
    ['wholeDuration', (v: PropsValidator) => v.wholeDuration('timeout', Duration.seconds(90), 'minutes', 'Glue takes the timeout in minutes'),
      'timeout (1.5 minutes) must be a whole number of minutes (Glue takes the timeout in minutes)'],
    ['wholeMebibytes', (v: PropsValidator) => v.wholeMebibytes('size', Size.kibibytes(1536), 'Firehose takes the size in MiB'),
      'size (1.5 MiB) must be a whole number of MiB (Firehose takes the size in MiB)'],
  ])('fails %s with the property, the value and the rule', (_name, run, message) => {
    const v = new PropsValidator(scope());
    expect(run(v)).toBe(false);
    expect(v.messages).toEqual([message]);
    expect(v.errors).toEqual([`Checks/Thing: ${message}`]);
  });

  test('returns true for known whole values, false for unset and unresolved ones, and reports neither', () => {
    const v = new PropsValidator(scope());
    expect(v.wholeNumber('a', 3, 1, 5)).toBe(true);
    expect(v.wholeDuration('b', Duration.hours(2), 'minutes')).toBe(true);
    expect(v.wholeMebibytes('c', Size.mebibytes(64))).toBe(true);
    expect(v.wholeNumber('d', undefined, 1)).toBe(false);
    expect(v.wholeNumber('e', Token.asNumber({ Ref: 'N' }), 1)).toBe(false);
    expect(v.wholeDuration('f', Duration.seconds(Token.asNumber({ Ref: 'S' })), 'seconds')).toBe(false);
    expect(v.messages).toEqual([]);
  });
});

describe('PropsValidator failed properties', () => {
  test('records which properties broke a rule, so stand-ins ask instead of checking again', () => {
    const v = new PropsValidator(scope());
    v.wholeNumber('capacity.shardCount', 0, 1);
    v.matches('partitionKeys[0].name', 'Year', /^[a-z]+$/, 'lowercase');
    v.wholeNumber('fine', 2, 1);
    expect(v.failed('capacity.shardCount')).toBe(true);
    expect(v.failed('fine')).toBe(false);
    expect([...v.failedProperties]).toEqual(['capacity.shardCount', 'partitionKeys[0].name']);
  });

  test('validateAtSynthAndNow returns the failed properties now and reports them at synth', () => {
    const thing = scope();
    const failed = validateAtSynthAndNow(thing, v => {
      v.wholeNumber('retries', -1, 0);
      v.requires('window', true, false, 'a schedule');
    });
    expect([...failed]).toEqual(['retries', 'window']);
    expect(thing.node.validate()).toEqual(['retries (-1) must be a whole number of at least 0', 'window requires a schedule']);
  });
});

describe('synth errors', () => {
  test('name the construct path once: aws-cdk-lib prints it in front of each message', () => {
    const app = new App();
    const thing = new Construct(new Stack(app, 'Checks'), 'Thing');
    validateAtSynth(thing, v => v.wholeNumber('shardCount', 0, 1));
    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('[Checks/Thing] shardCount (0) must be a whole number of at least 1');
    expect(message.split('Checks/Thing')).toHaveLength(2);
  });
});
