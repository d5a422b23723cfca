/**
 * The exit codes every command shares, as driftctl uses them: a script can
 * tell "nothing to do" from "something to look at" from "could not tell".
 */
export const EXIT_OK = 0;
/** Findings (drift, access drift) in what could be read. */
export const EXIT_FINDINGS = 1;
/** The command could not run, or some scope could not be read. */
export const EXIT_INCOMPLETE = 2;
