/** `KAiZEN-118`: the app-facing number of a request, sequential per app. */
export const formatRequestNo = (prefix: string, n: number): string => `${prefix}-${n}`;
