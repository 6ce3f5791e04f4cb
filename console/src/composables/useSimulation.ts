import { onBeforeUnmount, ref, shallowRef } from 'vue';
import type { SimulationResult } from '../../../shared/engine/index.js';
import type { CandidateDesign, SimulationMessage, SimulationRequest } from '../workers/protocol.js';
import SimulationWorker from '../workers/simulation.worker.ts?worker';
import { t } from '../i18n/index.js';

export interface DesignOutcome {
  design: CandidateDesign;
  summary?: SimulationResult;
  histogram?: number[];
  error?: string;
}

/**
 * Runs candidate designs in a Web Worker. Starting a new run terminates the one in flight, so
 * changing a parameter quickly never queues stale work.
 */
export function useSimulation() {
  const outcomes = shallowRef<DesignOutcome[]>([]);
  const running = ref(false);
  const progress = ref(0);
  const error = ref<string | null>(null);
  let worker: Worker | null = null;
  let runId = 0;

  function stop(): void {
    worker?.terminate();
    worker = null;
    running.value = false;
  }

  function run(req: Omit<SimulationRequest, 'runId'>): void {
    stop();
    const id = ++runId;
    outcomes.value = req.designs.map((design) => ({ design }));
    running.value = true;
    progress.value = 0;
    error.value = null;
    worker = new SimulationWorker({ name: 'simulation' });
    worker.onmessage = (e: MessageEvent<SimulationMessage>) => {
      const m = e.data;
      if (m.runId !== id) return;
      if (m.type === 'progress') progress.value = m.done / m.total;
      else if (m.type === 'result' || m.type === 'design-error') {
        outcomes.value = outcomes.value.map((o) =>
          o.design.key !== m.key
            ? o
            : m.type === 'result'
              ? { ...o, summary: m.summary, histogram: m.histogram }
              : { ...o, error: m.message },
        );
      } else if (m.type === 'done') stop();
      else if (m.type === 'error') {
        error.value = m.message;
        stop();
      }
    };
    worker.onerror = (e) => {
      error.value = e.message || t('statistician.workerFailed');
      stop();
    };
    worker.postMessage({ ...req, runId: id });
  }

  onBeforeUnmount(stop);
  return { outcomes, running, progress, error, run, stop };
}
