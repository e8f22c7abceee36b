import type { Clock } from '../../src/lib/clock';

/** A clock the test moves by hand; it follows real time until `set` pins it. */
export class TestClock implements Clock {
  private pinned: number | null = null;

  now(): Date {
    return new Date(this.pinned ?? Date.now());
  }

  set(at: Date | string): void {
    this.pinned = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.pinned = (this.pinned ?? Date.now()) + ms;
  }

  real(): void {
    this.pinned = null;
  }
}
