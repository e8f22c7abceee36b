import { useEffect, useRef, useState } from 'react';
import type { CounterLookup, CounterOrderBody, CounterQuote, CounterQuoteBody } from '@member/shared/api';
import { staffApi } from '../services/staff';
import { hasCode } from '../services/api-error';
import { errorText } from '../services/error-text';
import { parseYuan, yuan } from '../services/format';

export type KeypadKey = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | '0' | '⌫';

/** What one keypad press did: the amount as typed now, and whether the press was refused for passing the maximum. */
export interface KeyResult {
  text: string;
  overMax: boolean;
}

/**
 * Applies one keypad press to the typed amount, keeping it a valid price: one decimal point, at
 * most two decimals, and never above `maxCents` (the server's `counter.maxAmountCents`, when
 * known): a press that would break any of these is ignored, and one that would pass the maximum
 * says so (`overMax`) so the keypad can tell the cashier the limit.
 */
export function applyKey(text: string, key: KeypadKey, maxCents: number | null = null): KeyResult {
  if (key === '⌫') return { text: text.slice(0, -1), overMax: false };
  if (key === '.' && text.includes('.')) return { text, overMax: false };
  const next = text === '' && key === '.' ? '0.' : text === '0' && key !== '.' ? key : text + key;
  const cents = parseYuan(next);
  if (cents === null) return { text, overMax: false };
  if (maxCents !== null && cents > maxCents) return { text, overMax: true };
  return { text: next, overMax: false };
}

/** "单笔金额最高 ¥100,000.00": what the keypad says when a digit would pass the maximum. */
export const amountLimitText = (maxCents: number) => `单笔金额最高 ${yuan(maxCents)}`;

/** How long the inputs must stay still before the server is asked for a new quote. */
const QUOTE_DEBOUNCE_MS = 250;

/** What is being priced; the coupon and points only when chosen. */
function quoteBody(code: string, amountCents: number, couponId: string | null, points: number): CounterQuoteBody {
  return { code, amountCents, ...(couponId ? { couponId } : {}), ...(points ? { pointsToUse: points } : {}) };
}

interface Answer {
  quote: CounterQuote | null;
  error: string | null;
}
const NO_ANSWER: Answer = { quote: null, error: null };

/**
 * One sale at the counter: whose code, the amount typed on the keypad, the coupon and the points
 * chosen, and the live quote. The server prices every change (debounced, and only the newest
 * answer counts); the page never computes money itself.
 */
export function useCounterQuote(maxAmountCents: number | null = null) {
  const [code, setCode] = useState('');
  const [member, setMember] = useState<CounterLookup | null>(null);
  const [amountText, setAmountText] = useState('');
  // The limit, shown from a refused press until the next accepted one.
  const [amountLimit, setAmountLimit] = useState<string | null>(null);
  const [couponId, setCouponId] = useState<string | null>(null);
  const [points, setPoints] = useState(0);
  const [answer, setAnswer] = useState<Answer>(NO_ANSWER);
  const asked = useRef(0);

  const amountCents = parseYuan(amountText) ?? 0;
  const pricing = member !== null && amountCents > 0;

  useEffect(() => {
    // Whatever is still on its way was asked about other inputs.
    const mine = ++asked.current;
    if (!pricing) return;
    const ask = async () => {
      try {
        const quote = await staffApi.quote(quoteBody(code, amountCents, couponId, points));
        if (mine === asked.current) setAnswer({ quote, error: null });
      } catch (e) {
        if (mine !== asked.current) return;
        const max = hasCode(e, 'POINTS_CAP_EXCEEDED') ? e.details?.maxPointsUsable : undefined;
        // Too many points for this amount: settle on the most allowed, which asks again.
        if (typeof max === 'number') {
          setPoints(max);
          return;
        }
        if (hasCode(e, 'COUPON_NOT_APPLICABLE')) setCouponId(null);
        setAnswer({ quote: null, error: errorText(e) });
      }
    };
    const timer = setTimeout(() => void ask(), QUOTE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [pricing, code, amountCents, couponId, points]);

  return {
    code,
    setCode,
    member,
    setMember,
    amountText,
    amountCents,
    amountLimit,
    press: (key: KeypadKey) => {
      const { text: next, overMax } = applyKey(amountText, key, maxAmountCents);
      setAmountLimit(overMax && maxAmountCents !== null ? amountLimitText(maxAmountCents) : null);
      setAmountText(next);
      // Nothing left to price: the last answer goes too, so it never shows against a new amount.
      if ((parseYuan(next) ?? 0) <= 0) setAnswer(NO_ANSWER);
    },
    couponId,
    setCouponId,
    points,
    setPoints,
    quote: pricing ? answer.quote : null,
    quoteError: pricing ? answer.error : null,
    /** The order for what is quoted, with the till's receipt number. */
    orderBody: (receiptNo: string): CounterOrderBody => ({ ...quoteBody(code, amountCents, couponId, points), receiptNo }),
    /** Next customer. */
    reset: () => {
      setCode('');
      setMember(null);
      setAmountText('');
      setAmountLimit(null);
      setCouponId(null);
      setPoints(0);
      setAnswer(NO_ANSWER);
    },
  };
}
