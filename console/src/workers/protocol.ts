/** Messages between the design page and the simulation Web Worker. */
import type { SimulationResult } from '../../../shared/engine/index.js';

export interface CandidateDesign {
  key: string;
  label: string;
  method: string;
  params: Record<string, unknown>;
}

export interface SimulationRequest {
  runId: number;
  designs: CandidateDesign[];
  arms: Array<{ code: string; ratio: number }>;
  factors: Array<{ id: string; levels: Array<{ code: string }> }>;
  n: number;
  trials: number;
  seed: string;
}

export type SimulationMessage =
  | { runId: number; type: 'progress'; done: number; total: number }
  | { runId: number; type: 'result'; key: string; summary: SimulationResult; histogram: number[]; seconds: number }
  | { runId: number; type: 'design-error'; key: string; message: string }
  | { runId: number; type: 'done' }
  | { runId: number; type: 'error'; message: string };
