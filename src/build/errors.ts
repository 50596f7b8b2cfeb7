// The error of a failed `lambda-twin build` step: which function or layer, which command, its last lines of output.

/** A build step failed: names the resource, the command and its last lines of output. */
export class BuildError extends Error {
  constructor(readonly logicalId: string, readonly command: string, readonly output: string) {
    super(`Building ${logicalId} failed: \`${command}\`${output ? `\n${output}` : ''}`);
  }
}
