import { Injectable } from '@nestjs/common';

/** The server's only source of time, so tests can move it forward (session expiry) without sleeping. */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** ISO-8601 UTC, the one time format stored and returned. */
  iso(): string {
    return this.now().toISOString();
  }

  /** For tests only: shift the clock forward. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
