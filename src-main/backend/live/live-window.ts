import { LIVE_EVENT_MIN_MS, LIVE_RECENT_SCORES, LIVE_WINDOW_SECONDS, type LiveWindowInfo } from '../../contract/shared/live';

/**
 * The live view's rolling window: one bin per second (readings, anomalies)
 * over the last `seconds`, and a ring of the latest scores. Fixed-size
 * typed arrays, so an hour (or a week) of readings takes the same memory as
 * a minute.
 */
export class LiveWindow {
  private readonly binSecond: Float64Array;
  private readonly binReadings: Float64Array;
  private readonly binAnomalies: Float64Array;
  private readonly recent: Float64Array;
  private recentNext = 0;
  private recentCount = 0;

  constructor(
    readonly seconds = LIVE_WINDOW_SECONDS,
    readonly recentCapacity = LIVE_RECENT_SCORES,
  ) {
    this.binSecond = new Float64Array(seconds).fill(-1);
    this.binReadings = new Float64Array(seconds);
    this.binAnomalies = new Float64Array(seconds);
    this.recent = new Float64Array(recentCapacity);
  }

  /** Memory held, in array slots (constant: for the bounded-buffer test). */
  get slots(): number {
    return this.binSecond.length + this.binReadings.length + this.binAnomalies.length + this.recent.length;
  }

  /** A scored batch arriving at `nowMs`. */
  add(nowMs: number, scores: ArrayLike<number>, flags: ArrayLike<number>): void {
    const sec = Math.floor(nowMs / 1000);
    const b = sec % this.seconds;
    if (this.binSecond[b] !== sec) {
      this.binSecond[b] = sec;
      this.binReadings[b] = 0;
      this.binAnomalies[b] = 0;
    }
    let anomalies = 0;
    for (let i = 0; i < flags.length; i++) anomalies += flags[i]!;
    this.binReadings[b]! += scores.length;
    this.binAnomalies[b]! += anomalies;
    for (let i = 0; i < scores.length; i++) {
      this.recent[this.recentNext] = scores[i]!;
      this.recentNext = (this.recentNext + 1) % this.recentCapacity;
    }
    this.recentCount = Math.min(this.recentCapacity, this.recentCount + scores.length);
  }

  /** Readings per second over the last `span` whole seconds before `nowMs`. */
  rate(nowMs: number, span = 5): number {
    const now = Math.floor(nowMs / 1000);
    let n = 0;
    for (let s = now - span; s < now; s++) {
      const b = ((s % this.seconds) + this.seconds) % this.seconds;
      if (this.binSecond[b] === s) n += this.binReadings[b]!;
    }
    return n / span;
  }

  snapshot(nowMs: number): LiveWindowInfo {
    const now = Math.floor(nowMs / 1000);
    const perSecond: LiveWindowInfo['perSecond'] = [];
    let readings = 0;
    let anomalies = 0;
    for (let s = now - this.seconds + 1; s <= now; s++) {
      const b = ((s % this.seconds) + this.seconds) % this.seconds;
      if (this.binSecond[b] !== s) continue;
      perSecond.push({ t: s, readings: this.binReadings[b]!, anomalies: this.binAnomalies[b]! });
      readings += this.binReadings[b]!;
      anomalies += this.binAnomalies[b]!;
    }
    const recentScores: number[] = new Array(this.recentCount);
    const start = (this.recentNext - this.recentCount + this.recentCapacity) % this.recentCapacity;
    for (let k = 0; k < this.recentCount; k++) recentScores[k] = Math.round(this.recent[(start + k) % this.recentCapacity]! * 1e4) / 1e4;
    return { seconds: this.seconds, readings, anomalies, anomalyRate: readings ? anomalies / readings : 0, perSecond, recentScores };
  }
}

/**
 * Sends at most one update per `minMs`: a request inside the interval is
 * sent once at its end (the latest state then), never dropped. This is what
 * bounds the live views' redraws however fast readings arrive.
 */
export class Throttle {
  private last = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  sent = 0;

  constructor(
    private readonly send: () => void,
    private readonly minMs = LIVE_EVENT_MIN_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  request(): void {
    if (this.timer) return;
    const wait = this.last + this.minMs - this.now();
    if (wait <= 0) this.fire();
    else this.timer = setTimeout(() => this.fire(), wait);
  }

  /** Sends now (a state change such as stopped must not wait), resetting the interval. */
  flush(): void {
    this.fire();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.cancel();
    this.last = this.now();
    this.sent++;
    this.send();
  }
}
