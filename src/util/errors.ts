/**
 * Errors a user can act on. `TraceError` always names the file, the 1-based line
 * and the field so a bad row can be found and fixed in an editor.
 */
export class TraceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}: field '${field}': ${reason}`);
    this.name = 'TraceError';
  }
}

/** Bad configuration or command-line input (not a trace row). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
