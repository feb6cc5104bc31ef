/**
 * Where a process finds the sealing key: the PEM JSON itself (`npm start` keeps one per data directory, the tests
 * make one per file), or the ARN of the Secrets Manager secret holding it (AWS; infra/constructs/sealing-key-secret.ts
 * sets it on the certificate and verify functions). Both hold `{"privateKeyPem": "...", "certificatePem": "..."}`;
 * functions/wiring/sealing-key.ts reads them.
 */
export const SealingKeySettings = { pem: 'SEALING_KEY_PEM', secretArn: 'SEALING_KEY_SECRET_ARN' } as const;

/** The name the seal gives as its signer's /Name and producing application; the certificate names the key's owner. */
export const SEALING_SERVICE_NAME = 'esign-recall';
