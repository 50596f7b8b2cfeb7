// The error a user can fix (bad flag, unreadable event file): the CLI prints its message and exits 2.

/** Where user-facing CLI errors end: a message on stderr and exit code 2, never a stack trace. */
export class UsageError extends Error {}
