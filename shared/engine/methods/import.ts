/** An imported list (list-csv.ts): allocations come from the file, so nothing is generated, simulated or decided live. */
import type { MethodDescriptor } from './types.js';

export const importedList: MethodDescriptor = {
  code: 'import',
  label: 'statistician.method.import',
  summary: 'an imported list',
  params: [],
  live: 'never',
  generated: false,
  simulation: { probabilities: 'rule', twoArmKernel: false },
};
