/** Simulation on Node: the engine's chunks spread over worker threads. */
export { runSimulation, type RunnerOptions } from './simulation-runner.js';
