/**
 * Worker thread: takes the next chunk from the shared counter until none is left, runs it with the
 * pure engine and posts its raw output back (typed arrays transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareDesign, runChunk } from '../../../shared/engine/index.js';
import type { SimulationDesign, SimulationOptions } from '../../../shared/engine/index.js';

const { design, options, next, total } = workerData as {
  design: SimulationDesign;
  options: SimulationOptions;
  next: Int32Array;
  total: number;
};
const prepared = prepareDesign(design);
for (let c = Atomics.add(next, 0, 1); c < total; c = Atomics.add(next, 0, 1)) {
  const result = runChunk(prepared, options, c);
  const buffers = [result.absFinal, result.maxAbs, result.balanced, result.correct, result.forced].map(
    (a) => a.buffer as ArrayBuffer,
  );
  parentPort!.postMessage({ type: 'chunk', result }, buffers);
}
parentPort!.postMessage({ type: 'done' });
