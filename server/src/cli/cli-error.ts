/** An expected failure of a CLI command: printed as one line, exit code 1 (or 2 for a found problem). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
