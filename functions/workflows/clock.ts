/** The time a workflow stamps on what it writes; tests force an interleaving by passing their own. */
export type Clock = () => string;

export const systemClock: Clock = () => new Date().toISOString();
