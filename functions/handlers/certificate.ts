import { CertificateInput } from '../contracts/certificate.ts';
import { sealedCertificate } from '../documents/evidence-pdfs.ts';
import { requestCertificateFacts } from '../documents/request-certificate-facts.ts';
import { pdfFileHeaders } from '../http/content-disposition.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { evidenceDependencies, type EvidenceFunctionDependencies } from '../wiring/evidence.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { ownSignRequest } from '../workflows/own-request.ts';
import { SEALING_SERVICE_NAME } from '../sealing-key-settings.ts';

/**
 * GET /v1/sign-requests/{signRequestId}/certificate: the request's certificate as it stands now, in any state,
 * sealed; another app's request is as unknown as a missing one. Made on every call, never stored: an open
 * request's certificate changes as it is signed.
 */
export const createCertificateHandler = (deps: EvidenceFunctionDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'none',
    schema: CertificateInput,
    handle: async ({ input, app }) => {
      const request = await ownSignRequest(deps.signRequests, input.signRequestId, app.appId);
      const key = await deps.sealingKey();
      const now = new Date();
      const facts = requestCertificateFacts(request, app.appName, now.toISOString());
      const pdf = await sealedCertificate(facts, { serviceName: SEALING_SERVICE_NAME, key, now });
      return {
        statusCode: 200,
        data: true,
        file: pdf,
        headers: pdfFileHeaders('attachment', `${request.requestNo}-certificate.pdf`),
      };
    },
  });

export const handler = await lambdaHandler(() =>
  createCertificateHandler(evidenceDependencies(readEnvironment(), sharedHttpApiDependencies())),
);
