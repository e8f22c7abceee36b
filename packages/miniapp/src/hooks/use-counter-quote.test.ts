import { describe, expect, it, jest } from '@jest/globals';
import { applyKey, type KeypadKey } from './use-counter-quote';

// The hook's module talks to the BFF through Taro; these tests only need the keypad rule.
jest.mock('@tarojs/taro', () => ({}));

const type = (keys: KeypadKey[]) => keys.reduce(applyKey, '');

describe('applyKey', () => {
  it.each<[KeypadKey[], string]>([
    [['1', '5', '0'], '150'],
    [['.', '5'], '0.5'],
    [['0', '7'], '7'],
    [['1', '2', '.', '3', '4', '5'], '12.34'],
    [['1', '.', '.'], '1.'],
    [['9', '⌫', '⌫'], ''],
    [['1', '2', '3', '4', '5', '6', '7', '8'], '1234567'],
  ])('%j → %j', (keys, text) => expect(type(keys)).toBe(text));
});
