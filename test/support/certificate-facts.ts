import type { CertificateFacts, OutcomeFacts, SignerFacts } from '../../functions/documents/certificate-facts.ts';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
export const DOCUMENT_SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** Signer `n` (from 0) of a sample request, with every fact an act records. */
export const sampleSigner = (n: number, status: string): SignerFacts => ({
  name: `Signer ${n} Okafor-Rao`,
  email: `signer${n}@example.com`,
  status,
  viewedAt: `2026-11-28T01:${String(10 + (n % 40)).padStart(2, '0')}:40.521Z`,
  ip: `203.0.113.${n + 1}`,
  userAgent: n % 2 === 0 ? CHROME : FIREFOX,
  ...(status === 'SIGNED'
    ? {
        typedName: `Signer ${n} O. Rao`,
        signedAt: `2026-11-28T02:${String(10 + (n % 40)).padStart(2, '0')}:05.002Z`,
        documentSha256Shown: DOCUMENT_SHA256,
      }
    : {}),
});

/** A request of `signers` signers with the given outcome, the first `signed` of them having signed. */
export const sampleFacts = (outcome: OutcomeFacts, signers = 2, signed = 1): CertificateFacts => ({
  requestNo: 'KAiZEN-118',
  signRequestId: '01M8FV8KRECGNRESTKQSW6EJET',
  document: { name: 'Master Services Agreement.pdf', sha256: DOCUMENT_SHA256, size: 48213, pages: 3 },
  sender: 'Acme Contracts',
  createdAt: '2026-11-28T01:00:00.000Z',
  issuedAt: '2026-11-28T03:00:00.000Z',
  signers: Array.from({ length: signers }, (_, n) => sampleSigner(n, n < signed ? 'SIGNED' : 'PENDING')),
  signerChanges: [],
  outcome,
});

/** Every fact of a certificate that must be findable in its text, as the facts give it. */
export const factsToFind = (facts: CertificateFacts): string[] => {
  const signerFacts = facts.signers.flatMap((signer) =>
    [
      signer.name,
      signer.email,
      signer.status,
      signer.typedName,
      signer.viewedAt,
      signer.signedAt,
      signer.declinedAt,
      signer.declineReason,
      signer.ip,
      signer.userAgent,
      signer.documentSha256Shown,
    ].filter((value) => value !== undefined),
  );
  const outcome = Object.entries(facts.outcome)
    .filter(([key]) => key !== 'kind')
    .map(([, value]) => String(value));
  const document =
    facts.document === null
      ? []
      : [facts.document.name, facts.document.sha256, `${facts.document.size} bytes`, String(facts.document.pages)];
  return [
    facts.requestNo,
    facts.signRequestId,
    facts.sender,
    facts.createdAt,
    facts.issuedAt,
    ...document,
    ...outcome,
    ...signerFacts,
  ];
};
