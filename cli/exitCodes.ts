/**
 * The exit codes every `clawcage` subcommand uses, so scripts and CI can branch on them the same way
 * whichever command they ran.
 */

/** Everything checked passed; every step ran. */
export const EXIT_OK = 0;
/** A check, policy, step or checklist item failed (for `check`: a mandatory policy violation). */
export const EXIT_FAILED = 1;
/** Refused before anything ran: bad arguments, refused settings, no such stack, or no deployment. */
export const EXIT_USAGE = 2;
/** A checklist has warnings but nothing failed: something to do, nothing broken. */
export const EXIT_WARNINGS = 3;
