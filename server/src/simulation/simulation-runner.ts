/**
 * Runs a design simulation in this thread or across threads, with progress callbacks. Chunks are
 * the engine's, each from its own derived stream, and are summarized in chunk order, so the figures
 * equal those of the single-threaded `simulate` for the same seed however chunks were spread.
 * Used by the CLI (`simulate`) and by the server's POST /api/simulations.
 *
 * Threads take chunks from one shared counter (Atomics.add) as they finish the previous one, so no
 * thread waits while another has a queue (before: chunks dealt round-robin, the slower thread set the
 * time). Small jobs stay in one thread: a worker costs tens of milliseconds to start (a V8 isolate and
 * the engine's modules), more than it saves below PARALLEL_FROM allocations.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  checkSimulationOptions,
  chunkCount,
  prepareDesign,
  runChunk,
  summarizeChunks,
} from '../../../shared/engine/index.js';
import type {
  ChunkResult,
  SimulationDesign,
  SimulationOptions,
  SimulationResult,
} from '../../../shared/engine/index.js';

/** Allocations (trials × n) from which a second thread pays for its start-up on this 2-core machine (docs/PERFORMANCE.md). */
const PARALLEL_FROM = 10_000_000;

export interface RunnerOptions {
  /** Threads computing (default: 1 below PARALLEL_FROM allocations, else all cores; never more than the chunks). */
  workers?: number;
  /**
   * Whether this thread computes chunks too (the CLI: it has nothing else to do). The server leaves
   * it false so that its event loop keeps answering requests: then every chunk runs in a worker,
   * except a one-chunk job (≤ 1,000 trials), which is cheaper than a worker's start.
   */
  useThisThread?: boolean;
  /** Called as chunks finish, with (trials done, trials in total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Simulate; resolves with the figures and the wall-clock seconds.
 * @throws EngineError for a bad design before any thread starts
 */
export async function runSimulation(
  design: SimulationDesign,
  options: SimulationOptions,
  runner: RunnerOptions = {},
): Promise<SimulationResult> {
  checkSimulationOptions(options);
  const prepared = prepareDesign(design); // fail fast, in this thread, with the engine's message
  const started = performance.now();
  const total = chunkCount(options.trials);
  const auto = options.trials * options.n < PARALLEL_FROM ? 1 : availableParallelism();
  const threads = Math.max(1, Math.min(runner.workers ?? auto, total));
  const chunks: ChunkResult[] = [];
  let done = 0;
  const collect = (chunk: ChunkResult) => {
    chunks.push(chunk);
    done += chunk.trials;
    runner.onProgress?.(done, options.trials);
  };
  if (threads === 1 && (runner.useThisThread || total === 1)) {
    for (let c = 0; c < total; c++) collect(runChunk(prepared, options, c));
  } else {
    const next = new Int32Array(new SharedArrayBuffer(4)); // the next chunk to take, shared by all threads
    const here = runner.useThisThread ? 1 : 0;
    const workers = Array.from({ length: threads - here }, () => runWorker(design, options, next, total, collect));
    if (here)
      for (let c = Atomics.add(next, 0, 1); c < total; c = Atomics.add(next, 0, 1))
        collect(runChunk(prepared, options, c));
    await Promise.all(workers);
  }
  const result = summarizeChunks(prepared, options, chunks);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function runWorker(
  design: SimulationDesign,
  options: SimulationOptions,
  next: Int32Array,
  total: number,
  collect: (c: ChunkResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // --input-type (from `node -e`) is refused in a worker that runs a file, so it is not passed on.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new Worker(new URL('./simulation.worker.js', import.meta.url), {
      workerData: { design, options, next, total },
      execArgv,
    });
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
