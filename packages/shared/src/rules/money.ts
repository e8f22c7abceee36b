/**
 * The one way typed money becomes cents: plain ASCII decimal yuan, no sign, no exponent, no
 * grouping, no full-width digits, at most two decimals, at most eight whole digits (below
 * ¥100,000,000, far above any counter amount). Anything else is not a price and gives `null`:
 * "1e9" is refused, never read as ¥19 (what a field that drops unknown characters would make of it).
 *
 * `"12"` → 1200, `"12.5"` → 1250, `"12.50"` → 1250, `"0.01"` → 1, `"0"` → 0 (callers that need a
 * positive amount check for it). Surrounding blanks are ignored; a leading zero only before the
 * decimal point (`"0.5"`, not `"05"`); a trailing point (`"12."`) is unfinished typing, not a price.
 */
export function parseYuanToCents(text: string): number | null {
  const m = /^(0|[1-9]\d{0,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const [yuan, decimals = ''] = m.slice(1);
  return Number(yuan) * 100 + Number(decimals.padEnd(2, '0'));
}
