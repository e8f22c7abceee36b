/** Browsers cannot change the screen brightness: nothing to do on H5. */
export async function raiseBrightness(): Promise<() => void> {
  return () => undefined;
}
