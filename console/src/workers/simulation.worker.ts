/**
 * Runs design simulations off the main thread with the SHARED engine (the same code the server and
 * the CLI use), chunk by chunk, so the statistician sees balance and predictability while choosing.
 * Besides the engine's summary it keeps the distribution of the final imbalance |D_n| for the plot.
 * Designs with an exact form (two arms 1:1, no covariates, n ≤ 2000) get exact figures instead:
 * no noise, and in milliseconds for most designs; the summary then carries exact: true.
 */
import { chunkCount, exactFigures, prepareDesign, runChunk, summarizeChunks } from '../../../shared/engine/index.js';
import type { ExactResult } from '../../../shared/engine/index.js';
import type { SimulationMessage, SimulationRequest } from './protocol.js';

const post = (m: SimulationMessage) => (self as unknown as Worker).postMessage(m);

self.onmessage = (event: MessageEvent<SimulationRequest>) => {
  const req = event.data;
  try {
    const options = { n: req.n, trials: req.trials, seed: req.seed };
    const chunksPer = chunkCount(req.trials);
    const total = chunksPer * req.designs.length;
    let done = 0;
    for (const d of req.designs) {
      const started = performance.now();
      try {
        const exact = exactOrNull({ method: d.method, params: d.params, arms: req.arms, factors: req.factors }, req.n);
        if (exact) {
          done += chunksPer;
          const seconds = (performance.now() - started) / 1000;
          // The exact law of |D_n| as the histogram (the chart shows shares); bins past the last one above 1e-6 are cut.
          const law = exact.absImbalanceDistribution;
          let last = 0;
          law.forEach((p, k) => (p > 1e-6 ? (last = k) : undefined));
          post({
            runId: req.runId,
            type: 'result',
            key: d.key,
            summary: { ...exact, seconds },
            histogram: law.slice(0, last + 1),
            seconds,
          });
          post({ runId: req.runId, type: 'progress', done, total });
          continue;
        }
        const prepared = prepareDesign({ method: d.method, params: d.params, arms: req.arms, factors: req.factors });
        const chunks = [];
        const histogram: number[] = [];
        for (let c = 0; c < chunksPer; c++) {
          const chunk = runChunk(prepared, options, c);
          chunks.push(chunk);
          for (const v of chunk.absFinal) {
            const bin = Math.round(v);
            histogram[bin] = (histogram[bin] ?? 0) + 1;
          }
          post({ runId: req.runId, type: 'progress', done: ++done, total });
        }
        const summary = summarizeChunks(prepared, options, chunks);
        const seconds = (performance.now() - started) / 1000;
        post({
          runId: req.runId,
          type: 'result',
          key: d.key,
          summary: { ...summary, seconds },
          histogram: Array.from(histogram, (x) => x ?? 0),
          seconds,
        });
      } catch (err) {
        done += chunksPer;
        post({ runId: req.runId, type: 'design-error', key: d.key, message: (err as Error).message });
      }
    }
    post({ runId: req.runId, type: 'done' });
  } catch (err) {
    post({ runId: req.runId, type: 'error', message: (err as Error).message });
  }
};

/** Exact figures when the design has an exact form; null otherwise (it is then simulated, and a bad design fails there with the engine's message). */
function exactOrNull(design: Parameters<typeof exactFigures>[0], n: number): ExactResult | null {
  try {
    return exactFigures(design, n);
  } catch {
    return null;
  }
}
