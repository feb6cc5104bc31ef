/**
 * The ids a seal carries, in the signature dictionary's /Reason: inside the signed bytes, so `verifySeal` can
 * trust them once the signature checks out, and shown by PDF readers in their signature panel. Ids are written
 * with every character outside [A-Za-z0-9._~-] percent-encoded, so the reason is plain ASCII with no character a
 * PDF string would need to escape, and reads back exactly.
 */
export interface SealedIds {
  readonly requestNo: string;
  readonly signRequestId: string;
}

const encodeId = (id: string): string =>
  encodeURIComponent(id).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const ID = '([A-Za-z0-9._~%-]+)';
const REASON = new RegExp(`^Evidence of request ${ID}, sign request ${ID}$`);

export const sealReason = (ids: SealedIds): string =>
  `Evidence of request ${encodeId(ids.requestNo)}, sign request ${encodeId(ids.signRequestId)}`;

/** The ids of a reason `sealReason` wrote, or undefined for any other text. */
export const readSealReason = (reason: string): SealedIds | undefined => {
  const match = REASON.exec(reason);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  try {
    return { requestNo: decodeURIComponent(match[1]), signRequestId: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
};
