/**
 * Runs a design simulation across worker threads (one per core by default) with progress
 * callbacks. Chunks are the engine's, each from its own derived stream, and are summarized in
 * chunk order, so the figures equal those of the single-threaded `simulate` for the same seed.
 * Used by the CLI (`simulate`) and by the server's POST /api/simulations.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { checkSimulationOptions, chunkCount, prepareDesign, runChunk, summarizeChunks } from '../../../shared/engine/index.js';
import type { ChunkResult, SimulationDesign, SimulationOptions, SimulationResult } from '../../../shared/engine/index.js';

export interface RunnerOptions {
  /** Worker threads (default: available cores, at most the number of chunks). */
  workers?: number;
  /** Called as chunks finish, with (trials done, trials in total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Simulate in worker threads; resolves with the figures and the wall-clock seconds.
 * @throws EngineError for a bad design before any thread starts
 */
export async function runSimulation(design: SimulationDesign, options: SimulationOptions, runner: RunnerOptions = {}): Promise<SimulationResult> {
  checkSimulationOptions(options);
  const prepared = prepareDesign(design); // fail fast, in this thread, with the engine's message
  const started = performance.now();
  const total = chunkCount(options.trials);
  const workerCount = Math.max(1, Math.min(runner.workers ?? availableParallelism(), total));
  const chunks: ChunkResult[] = [];
  let done = 0;
  const collect = (chunk: ChunkResult) => {
    chunks.push(chunk);
    done += chunk.trials;
    runner.onProgress?.(done, options.trials);
  };
  if (workerCount === 1) {
    for (let c = 0; c < total; c++) collect(runChunk(prepared, options, c));
  } else {
    const assignments = Array.from({ length: workerCount }, (_, w) => Array.from({ length: total }, (_, c) => c).filter((c) => c % workerCount === w));
    await Promise.all(assignments.map((list) => runWorker(design, options, list, collect)));
  }
  const result = summarizeChunks(prepared, options, chunks);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function runWorker(design: SimulationDesign, options: SimulationOptions, chunks: number[], collect: (c: ChunkResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // --input-type (from `node -e`) is refused in a worker that runs a file, so it is not passed on.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new Worker(new URL('./simulation.worker.js', import.meta.url), { workerData: { design, options, chunks }, execArgv });
    let finished = false;
    worker.on('message', (msg: { type: 'chunk'; result: ChunkResult } | { type: 'done' }) => {
      if (msg.type === 'chunk') collect(msg.result);
      else {
        finished = true;
        void worker.terminate().then(() => resolve());
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!finished) reject(new Error(`simulation worker stopped early (exit code ${code})`));
    });
  });
}
