/** Design simulations for the statistician, on the study's own arms and stratification factors, across both cores. */
import type { SimulationResponse } from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { protocolArms, EngineError, type SimulationFactor } from '../../../../shared/engine/index.js';
import { DomainError } from '../../common/domain-error.js';
import { isBlindedViewer, type Viewer } from '../../common/viewer.js';
import { runSimulation } from '../../simulation/index.js';
import type { SimulationDto } from './study.dto.js';
import { ProtocolService } from '../protocol/protocol.service.js';

/** Allocations per request; bigger runs belong to the CLI (`npm run cli -- simulate`). */
const MAX_ALLOCATIONS = 20_000_000;

@Injectable()
export class SimulationService {
  constructor(private readonly study: ProtocolService) {}

  /**
   * A blinded viewer (the trial statistician while the study runs) simulates on neutral group names
   * G1, G2… with the protocol's ratios: balance and predictability need no arm code.
   */
  async run(input: SimulationDto, viewer: Viewer): Promise<SimulationResponse> {
    if (input.n * input.trials > MAX_ALLOCATIONS) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `n × trials must be at most ${MAX_ALLOCATIONS.toLocaleString('en')} per request; use the CLI for larger runs.`,
      );
    }
    const protocol = this.study.protocol(viewer.studyId!);
    const factors: SimulationFactor[] = protocol.stratification.factors.map((f) => ({
      id: f.id,
      levels: f.levels.map((l) => ({ code: l.code })),
    }));
    if (protocol.stratification.bySite)
      factors.push({
        id: 'site',
        levels: (protocol.sites ?? [{ code: 'A' }, { code: 'B' }]).map((s) => ({ code: s.code })),
      });
    try {
      const blinded = isBlindedViewer(viewer);
      const arms = blinded
        ? protocolArms(protocol).map((a, i) => ({ ...a, code: `G${i + 1}` }))
        : protocolArms(protocol);
      const result = await runSimulation(
        { method: input.method, params: input.params ?? {}, arms, factors },
        { n: input.n, trials: input.trials, seed: input.seed ?? 'simulation' },
      );
      if (!blinded) return result;
      // `arms` is a field name reserved for unblinded answers (the guard refuses it): the neutral groups go under `groups`.
      const { arms: groups, ...rest } = result;
      return { ...rest, groups };
    } catch (err) {
      if (err instanceof EngineError) throw new DomainError('VALIDATION_FAILED', err.message);
      throw err;
    }
  }
}
