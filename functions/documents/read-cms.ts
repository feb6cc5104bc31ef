import * as asn1js from 'asn1js';
import { CMS_OID } from './cms-signature.ts';

/** What `verifySeal` takes from a seal's CMS: enough to rebuild it (cms-signature.ts) and compare. */
export interface SealCmsParts {
  /** The message-digest attribute. */
  readonly digest: Buffer;
  readonly signature: Buffer;
  /** The certificates it carries, DER, in order. */
  readonly chain: Buffer[];
  /** Where the CMS's DER ends: what follows must be zero padding. */
  readonly length: number;
}

type Block = asn1js.AsnType;

/** Sequences, sets and tagged blocks alike (asn1js's Sequence and Set are Constructed). */
const children = (block: Block | undefined): Block[] =>
  block instanceof asn1js.Constructed ? block.valueBlock.value : [];
const der = (block: Block): Buffer => Buffer.from(block.valueBeforeDecodeView);

/**
 * Reads the parts of a seal's CMS by position, loosely: asn1js parses the DER without a schema (a schema match
 * costs tens of milliseconds a file), and whatever does not sit where `cmsSignedData` puts it leaves a part
 * missing. The caller rebuilds the CMS from the parts and requires the very same bytes, which holds every byte
 * to the sealer's shape, the ones no signature covers (certificates, versions, algorithms) included.
 */
export const readSealCmsParts = (bytes: Buffer): SealCmsParts | undefined => {
  const parsed = asn1js.fromBER(new Uint8Array(bytes));
  if (parsed.offset === -1) return undefined;
  const [type, content] = children(parsed.result);
  if (!(type instanceof asn1js.ObjectIdentifier) || type.getValue() !== CMS_OID.signedData) return undefined;
  const signedData = children(content)[0];
  const fields = children(signedData);
  const certificates = fields[3];
  const signerInfo = children(fields[4])[0];
  const signerFields = children(signerInfo);
  const signature = signerFields[5];
  const messageDigest = children(signerFields[3])
    .map((attr) => children(attr))
    .find(([attrType]) => attrType instanceof asn1js.ObjectIdentifier && attrType.getValue() === CMS_OID.messageDigest);
  const digest = children(messageDigest?.[1])[0];
  if (!(signature instanceof asn1js.OctetString) || !(digest instanceof asn1js.OctetString)) return undefined;
  return {
    digest: Buffer.from(digest.valueBlock.valueHexView),
    signature: Buffer.from(signature.valueBlock.valueHexView),
    chain: children(certificates).map(der),
    length: parsed.offset,
  };
};
