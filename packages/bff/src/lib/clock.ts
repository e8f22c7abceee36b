/** The server's clock, injectable so tests can stand at a given instant. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
