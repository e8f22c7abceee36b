import { describe, expect, it, jest } from '@jest/globals';
import { amountLimitText, applyKey, type KeypadKey } from './use-counter-quote';

// The hook's module talks to the BFF through Taro; these tests only need the keypad rule.
jest.mock('@tarojs/taro', () => ({}));

const MAX = 10_000_000; // ¥100,000.00, the configured `counter.maxAmountCents`

/** What the display says after typing `keys`, and whether the last press was refused for the maximum. */
const type = (keys: KeypadKey[], max: number | null = null) => keys.reduce((r, k) => applyKey(r.text, k, max), { text: '', overMax: false });

describe('applyKey', () => {
  it.each<[KeypadKey[], string]>([
    [['1', '5', '0'], '150'],
    [['.', '5'], '0.5'],
    [['0', '7'], '7'],
    [['1', '2', '.', '3', '4', '5'], '12.34'],
    [['1', '.', '.'], '1.'],
    [['9', '⌫', '⌫'], ''],
    [['1', '2', '3', '4', '5', '6', '7', '8'], '1234567'],
    // A second decimal point is ignored, and so is a third decimal.
    [['1', '2', '3', '.', '4', '5', '6', '.'], '123.45'],
    [['1', '.', '2', '.', '3'], '1.23'],
    [['.', '.', '5'], '0.5'],
  ])('%j → %j', (keys, text) => expect(type(keys).text).toBe(text));

  it('refuses the digit that would pass the maximum, and says so', () => {
    expect(type(['1', '0', '0', '0', '0', '0'], MAX)).toEqual({ text: '100000', overMax: false });
    expect(type(['1', '0', '0', '0', '0', '0', '0'], MAX)).toEqual({ text: '100000', overMax: true });
    expect(type(['9', '9', '9', '9', '9', '9', '9'], MAX)).toEqual({ text: '99999', overMax: true });
    expect(type(['1', '0', '0', '0', '0', '0', '.', '0', '1'], MAX)).toEqual({ text: '100000.0', overMax: true });
    // The next accepted press clears the refusal.
    expect(type(['9', '9', '9', '9', '9', '9', '⌫'], MAX)).toEqual({ text: '9999', overMax: false });
    expect(amountLimitText(MAX)).toBe('单笔金额最高 ¥100,000.00');
  });
});
