import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { SignerCredentials } from '../workflows/signer-proof.ts';

/** The header the JSON link API takes a signer's proof in: their access code, or the one-time code mailed to them. */
const SIGNER_PROOF_HEADER = 'x-signer-proof';

/** What an API client shows for the signer: the code in X-Signer-Proof (headers arrive lower-cased). */
export const headerCredentials = (event: APIGatewayProxyEventV2): SignerCredentials => {
  const code = event.headers[SIGNER_PROOF_HEADER];
  return code === undefined ? {} : { code };
};
