import { EngineError } from '../../../../shared/engine/index.js';
import { StratumDerivationError } from '../../../../shared/protocol/index.js';
import { DomainError } from '../../common/domain-error.js';

/** Engine and protocol errors are the caller's input problems: 400 with the engine's sentence. */
export function asInputError(err: unknown): unknown {
  // Line-level problems (an imported list) travel as details.problems, so the console lists them by line.
  if (err instanceof EngineError)
    return new DomainError(
      'VALIDATION_FAILED',
      err.message,
      err.problems.length ? { problems: err.problems } : undefined,
    );
  if (err instanceof StratumDerivationError) return new DomainError('VALIDATION_FAILED', err.message);
  return err;
}
