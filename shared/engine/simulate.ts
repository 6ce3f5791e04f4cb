/**
 * Design simulation (pure): run every chunk in this thread and summarize. Node's worker runner
 * (server/src/simulation) and the console's Web Worker run the same chunks in parallel and
 * summarize them with the same function, so the figures are identical however they are run.
 */
import { EngineError } from './errors.js';
import { chunkCount, prepareDesign, runChunk } from './simulation-core.js';
import { summarizeChunks } from './simulation-summary.js';
import type { ChunkResult, SimulationDesign, SimulationOptions, SimulationResult } from './simulation-types.js';

/** Check the run size and seed before any work starts. */
export function checkSimulationOptions(options: SimulationOptions): void {
  if (!Number.isInteger(options.n) || options.n < 1 || options.n > 100000)
    throw new EngineError(`n must be a whole number between 1 and 100000, got ${options.n}`);
  if (!Number.isInteger(options.trials) || options.trials < 1 || options.trials > 10000000)
    throw new EngineError(`trials must be a whole number between 1 and 10000000, got ${options.trials}`);
  if (typeof options.seed !== 'string' || options.seed === '')
    throw new EngineError('the simulation seed must be a non-empty string');
}

/**
 * Simulate `trials` trials of `n` patients under a design.
 * @param onProgress called after each chunk with (trials done, trials in total)
 * @returns the figures; `seconds` is null (the caller measures time)
 */
export function simulate(
  design: SimulationDesign,
  options: SimulationOptions,
  onProgress?: (done: number, total: number) => void,
): SimulationResult {
  checkSimulationOptions(options);
  const prepared = prepareDesign(design);
  const chunks: ChunkResult[] = [];
  let done = 0;
  for (let c = 0; c < chunkCount(options.trials); c++) {
    const chunk = runChunk(prepared, options, c);
    chunks.push(chunk);
    done += chunk.trials;
    onProgress?.(done, options.trials);
  }
  return summarizeChunks(prepared, options, chunks);
}
