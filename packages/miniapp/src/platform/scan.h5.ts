/** Browsers have no scanner API here: the cashier types the 18 digits. */
export const canScan = false;

export async function scanMemberCode(): Promise<string | null> {
  return null;
}
