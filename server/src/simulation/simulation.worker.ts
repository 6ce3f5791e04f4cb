/**
 * Worker thread: runs the chunks it is given with the pure engine and posts each chunk's raw
 * output back (typed arrays transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareDesign, runChunk } from '../../../shared/engine/index.js';
import type { SimulationDesign, SimulationOptions } from '../../../shared/engine/index.js';

const { design, options, chunks } = workerData as { design: SimulationDesign; options: SimulationOptions; chunks: number[] };
const prepared = prepareDesign(design);
for (const c of chunks) {
  const result = runChunk(prepared, options, c);
  const buffers = [result.absFinal, result.maxAbs, result.balanced, result.correct, result.forced].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ type: 'chunk', result }, buffers);
}
parentPort!.postMessage({ type: 'done' });
