/** A request the engine cannot honour (bad parameters, unknown arm, malformed list). */
export class EngineError extends Error {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(
    message: string,
    /** Line-level problems, e.g. of an imported CSV list (1-based line numbers). */
    readonly problems: Array<{ line: number | null; message: string }> = [],
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
