/** Simulation on Node: the engine's chunks spread over worker threads. */
export { runSimulation } from './simulation-runner.js';
