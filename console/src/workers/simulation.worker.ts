/**
 * Runs design simulations off the main thread with the SHARED engine (the same code the server and
 * the CLI use), chunk by chunk, so the statistician sees balance and predictability while choosing.
 * Besides the engine's summary it keeps the distribution of the final imbalance |D_n| for the plot.
 */
import { chunkCount, prepareDesign, runChunk, summarizeChunks } from '../../../shared/engine/index.js';
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
        post({ runId: req.runId, type: 'result', key: d.key, summary: { ...summary, seconds }, histogram: Array.from(histogram, (x) => x ?? 0), seconds });
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
