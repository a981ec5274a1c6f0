import { windowSeconds, type BurnRateAlert, type WindowPair } from './burn-rate-rules.js';

/** Bad and total events per slice of `sliceSeconds`, oldest first, ending now. */
export interface SliHistory {
  readonly sliceSeconds: number;
  readonly bad: readonly number[];
  readonly total: readonly number[];
  /** 1 - objective, e.g. 0.005 for 99.5 %. */
  readonly errorBudget: number;
  /** Share of bad events once the fault is cleared (the demo's baseline); 0 if absent. */
  readonly futureBadRatio?: number;
}

export interface Forecast {
  /** Seconds from now until no window pair holds any more (0: none holds now). */
  readonly resolvesInSeconds: number;
  /** The pair that holds longest, when one holds now. */
  readonly longestPair: WindowPair | undefined;
  /** The window of that pair whose burn rate falls below the threshold last, ending it. */
  readonly endingWindow: string | undefined;
}

const HORIZON_SECONDS = 4 * 86400;

/**
 * When a burn-rate alert's condition stops holding, assuming from now on the recent traffic rate
 * with `futureBadRatio` of it bad: the window sums of the history are slid forward one slice at a time. A
 * window longer than the history sees only the history (Prometheus' rate() over a fresh TSDB
 * does the same), which is why a fresh stack keeps a slow-burn page firing long after the fault.
 * @example forecastResolution(alert, { sliceSeconds: 60, bad, total, errorBudget: 0.005 }).resolvesInSeconds
 */
export function forecastResolution(alert: BurnRateAlert, history: SliHistory): Forecast {
  const { sliceSeconds: step, errorBudget } = history;
  const recent = history.total.slice(-5);
  const futureTotal = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : 0;
  const bad = [...history.bad];
  const total = [...history.total];
  const burn = (window: string): number => {
    const n = Math.max(1, Math.round(windowSeconds(window) / step));
    let b = 0;
    let t = 0;
    for (let i = Math.max(0, total.length - n); i < total.length; i++) {
      b += bad[i] ?? 0;
      t += total[i] ?? 0;
    }
    return t > 0 ? b / t / errorBudget : 0;
  };
  const holds = (pair: WindowPair): boolean => pair.windows.every((w) => burn(w) > pair.threshold);

  let holding = alert.pairs.filter(holds);
  let longestPair = holding[0];
  let elapsed = 0;
  while (holding.length > 0 && elapsed < HORIZON_SECONDS) {
    longestPair = holding[0];
    bad.push(futureTotal * (history.futureBadRatio ?? 0));
    total.push(futureTotal);
    elapsed += step;
    holding = holding.filter(holds);
  }
  const endingWindow = longestPair?.windows.find((w) => burn(w) <= longestPair.threshold);
  return { resolvesInSeconds: elapsed, longestPair, endingWindow };
}
