import { useEffect, useRef, useState } from 'react';
import type { CounterLookup, CounterOrderBody, CounterQuote, CounterQuoteBody } from '@member/shared/api';
import { staffApi } from '../services/staff';
import { hasCode } from '../services/api-error';
import { errorText } from '../services/error-text';
import { parseYuan } from '../services/format';

export type KeypadKey = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | '0' | '⌫';

/** Applies one keypad press to the typed amount, keeping it a valid price (≤ 2 decimals). */
export function applyKey(text: string, key: KeypadKey): string {
  if (key === '⌫') return text.slice(0, -1);
  const next = text === '0' && key !== '.' ? key : text + key;
  if (next === '.') return '0.';
  return parseYuan(next) !== null ? next : text;
}

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
export function useCounterQuote() {
  const [code, setCode] = useState('');
  const [member, setMember] = useState<CounterLookup | null>(null);
  const [amountText, setAmountText] = useState('');
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
    press: (key: KeypadKey) => {
      const next = applyKey(amountText, key);
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
      setCouponId(null);
      setPoints(0);
      setAnswer(NO_ANSWER);
    },
  };
}
