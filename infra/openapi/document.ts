import { DEFAULT_APP_RATE_BURST, DEFAULT_APP_RATE_PER_SECOND } from '../../functions/config.ts';
import { refusals, type FailRule } from '../../functions/core/errors.ts';
import { errorResponse } from '../../functions/http/error-response.ts';
import { transportRefusals } from '../../functions/http/refusals.ts';
import { validate } from '../../functions/http/validation.ts';
import { fieldsToValidate } from '../../functions/http/route.ts';
import { routeKey, routes, type RouteKey } from '../../functions/routes.ts';
import * as z from '../../functions/zod.ts';
import { operations, type EnvelopeOperation, type Operation } from './operations.ts';

type Json = Record<string, unknown>;

/** The functions' own body limit (MAX_BODY_BYTES' default, functions/config.ts), for the 413 example. */
const MAX_BODY_BYTES = 1024 * 1024;
/** The longest app token route.ts looks up. */
const MAX_APP_TOKEN_LENGTH = 512;
const EXAMPLE_REQUEST_ID = '8d0f6a0e-1c2b-4e55-9b3a-2a7d4c1e9f10';

const STATUS_TEXT: Record<number, string> = {
  400: 'The body or a field is invalid: one fail rule per problem, with `Field`.',
  401: 'The app token is missing, unknown or revoked.',
  404: 'Nothing found under this id or link.',
  409: 'The request is not in a state that allows this.',
  410: 'The request can no longer be signed.',
  412: 'The request has changed since the version `If-Match` names: nothing was changed; read it again.',
  413: 'The body is too large.',
  415: 'The body is declared as a media type this endpoint does not take (JSON; verify: application/pdf).',
  422: 'The Idempotency-Key was used with another body.',
  429: 'Too many: over the app’s rate (`RATE_LIMITED`) or a limit of this operation; retry after `Retry-After` seconds.',
  500: 'Something went wrong on our side.',
  503:
    'The store is busy or the request is being changed by others, or (certificate, verify) no sealing key is in ' +
    'place yet: retry after `Retry-After` seconds.',
};

/**
 * Input schemas as JSON Schema: the side a caller sends (`io: 'input'`, before trimming and transforms).
 * Refinements (no control characters, no email twice, a future `expiresAt`) have no JSON Schema form and are
 * left out; their messages appear in the 400 examples and in each field's description in docs/api.md.
 */
const inputJsonSchema = (schema: z.ZodMiniType): Json =>
  z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    override: ({ zodSchema, jsonSchema }) => {
      // An email is a trimmed, bounded string piped into an email check: the input side alone loses the format.
      const def = zodSchema._zod.def as { type: string; out?: { _zod: { def: { format?: string } } } };
      if (def.type === 'pipe' && def.out?._zod.def.format === 'email') jsonSchema.format = 'email';
    },
  });

/** Output schemas (what `Data` holds) as JSON Schema, without the `$schema` key OpenAPI does not want there. */
const outputJsonSchema = (schema: z.ZodMiniType): Json => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12' }) as Json;
  return rest;
};

const pathParametersOf = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');

/** Every answer a refusal gets, as the one place that builds answers (error-response.ts) builds it. */
const answerTo = (error: unknown): { status: number; rules: FailRule[] } => {
  const { response } = errorResponse(error, EXAMPLE_REQUEST_ID);
  const envelope = JSON.parse(response.body ?? '{}') as { FailRules: FailRule[] };
  return { status: response.statusCode ?? 500, rules: envelope.FailRules };
};

/** The refusals a route can answer, transport and business, each as the answer it gets. */
const refusalsOf = (operation: EnvelopeOperation, pathParameters: string[]) => {
  const errors: unknown[] = [];
  if (operation.body !== 'none') {
    if (operation.body === 'json')
      errors.push(transportRefusals.invalidJson('The request body is empty: send a JSON object'));
    errors.push(
      transportRefusals.invalidJson('The request body must be a JSON object'),
      transportRefusals.payloadTooLarge(MAX_BODY_BYTES),
      transportRefusals.unsupportedMediaType(),
    );
  }
  if (operation.auth !== 'none') {
    errors.push(refusals.invalidAppToken());
    // The stage's default rate in the example; an app's own limits, where it has them, are in its message.
    errors.push(transportRefusals.rateLimited(DEFAULT_APP_RATE_PER_SECOND, DEFAULT_APP_RATE_BURST, 1));
  }
  if (operation.invalidBody) {
    const input = fieldsToValidate(
      operation.auth,
      operation.invalidBody,
      Object.fromEntries(pathParameters.map((name) => [name, 'x'])),
    );
    try {
      validate(operation.input, input);
    } catch (error) {
      errors.push(error);
    }
  }
  if (operation.query) {
    try {
      validate(operation.query.schema, operation.query.invalid);
    } catch (error) {
      errors.push(error);
    }
  }
  if (operation.conditional) errors.push(transportRefusals.invalidIfMatch());
  if (operation.idempotent) {
    errors.push(
      transportRefusals.invalidIdempotencyKey(),
      transportRefusals.idempotencyInProgress(),
      transportRefusals.idempotencyKeyReused(),
    );
  }
  errors.push(
    ...(operation.transportRefusals ?? []),
    ...operation.refusals,
    transportRefusals.serviceUnavailable(),
    new Error('unexpected'),
  );
  return errors.map(answerTo);
};

const header = (name: string): Json => ({ $ref: `#/components/headers/${name}` });

/** The envelope of a refusal at one status: its codes as an enum, one example per refusal. */
/** The signer's page as an alternative answer: HTML, one document per answer. */
const pageContent = (description: string | undefined): Json =>
  description === undefined ? {} : { 'text/html': { schema: { type: 'string', description } } };

/** The X-RateLimit headers every answer after the app's authentication carries (not a 401: none is known). */
const rateLimitHeaders = (authenticated: boolean): Json =>
  authenticated
    ? {
        'X-RateLimit-Limit': header('RateLimitLimit'),
        'X-RateLimit-Remaining': header('RateLimitRemaining'),
        'X-RateLimit-Reset': header('RateLimitReset'),
      }
    : {};

const failureResponse = (
  status: number,
  answers: { rules: FailRule[] }[],
  page: string | undefined,
  authenticates: boolean,
): Json => {
  const codes = [...new Set(answers.flatMap(({ rules }) => rules.map((rule) => rule.Code)))];
  const examples: Record<string, Json> = {};
  for (const { rules } of answers) {
    const code = rules[0]?.Code ?? 'UNKNOWN';
    let name = code;
    for (let n = 2; name in examples; n++) name = `${code}_${n}`;
    examples[name] = { summary: rules[0]?.Message ?? code, value: { FailRules: rules, Data: null } };
  }
  return {
    description: STATUS_TEXT[status] ?? 'Refused.',
    headers: {
      'x-request-id': header('RequestId'),
      ...(status === 503 || status === 429 ? { 'Retry-After': header('RetryAfter') } : {}),
      ...rateLimitHeaders(authenticates && status !== 401),
    },
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: {
            FailRules: {
              type: 'array',
              minItems: 1,
              items: {
                allOf: [{ $ref: '#/components/schemas/FailRule' }],
                properties: { Code: { enum: codes } },
              },
            },
            Data: { type: 'null' },
          },
          required: ['FailRules', 'Data'],
        },
        examples,
      },
      ...pageContent(page),
    },
  };
};

const fileResponse = (operation: EnvelopeOperation, file: NonNullable<EnvelopeOperation['file']>): Json => ({
  description: operation.success.description,
  headers: {
    'x-request-id': header('RequestId'),
    ...Object.fromEntries(
      Object.entries(file.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
    ),
    ...rateLimitHeaders(operation.auth !== 'none'),
  },
  content: { [file.mediaType]: { schema: { type: 'string', contentMediaType: file.mediaType } } },
});

const successResponse = (operation: EnvelopeOperation): Json =>
  operation.file ? fileResponse(operation, operation.file) : envelopeSuccess(operation);

const envelopeSuccess = (operation: EnvelopeOperation): Json => ({
  description: operation.success.description,
  headers: {
    'x-request-id': header('RequestId'),
    ...(operation.etag ? { ETag: header('ETag') } : {}),
    ...('file' in operation.success ? { 'Content-Disposition': header('ContentDisposition') } : {}),
    ...(operation.idempotent ? { 'Idempotent-Replayed': header('IdempotentReplayed') } : {}),
    ...rateLimitHeaders(operation.auth !== 'none'),
  },
  content:
    'file' in operation.success
      ? {
          [operation.success.file.mediaType]: {
            schema: {
              type: 'string',
              contentMediaType: operation.success.file.mediaType,
              description: operation.success.file.description,
            },
          },
        }
      : {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                FailRules: { type: 'array', maxItems: 0, items: { $ref: '#/components/schemas/FailRule' } },
                Data: outputJsonSchema(operation.success.data),
              },
              required: ['FailRules', 'Data'],
            },
            example: { FailRules: [], Data: operation.success.example },
          },
          ...pageContent(operation.page),
        },
});

const envelopeOperation = (operation: EnvelopeOperation, path: string): Json => {
  const pathParameters = pathParametersOf(path);
  const input = inputJsonSchema(operation.input);
  const properties = (input.properties ?? {}) as Record<string, Json>;
  const required = (input.required ?? []) as string[];
  const bodyFields = Object.keys(properties).filter((name) => !pathParameters.includes(name));
  const byStatus = new Map<number, { rules: FailRule[] }[]>();
  for (const answer of refusalsOf(operation, pathParameters)) {
    byStatus.set(answer.status, [...(byStatus.get(answer.status) ?? []), answer]);
  }
  const parameters: Json[] = pathParameters.map((name) => ({
    name,
    in: 'path',
    required: true,
    description: operation.parameterDescriptions[name] ?? name,
    schema: properties[name] ?? { type: 'string' },
  }));
  if (operation.query) {
    const query = inputJsonSchema(operation.query.schema);
    const queryRequired = (query.required ?? []) as string[];
    for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, Json>)) {
      parameters.push({
        name,
        in: 'query',
        required: queryRequired.includes(name),
        description: operation.parameterDescriptions[name] ?? name,
        schema: operation.query.schemas?.[name] ?? schema,
      });
    }
  }
  if (operation.idempotent) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  if (operation.conditional) parameters.push({ $ref: '#/components/parameters/IfMatch' });
  if (operation.signerProof) parameters.push({ $ref: '#/components/parameters/SignerProof' });
  const body: Json = {
    type: 'object',
    properties: {
      ...(operation.auth === 'body'
        ? {
            appToken: {
              type: 'string',
              minLength: 1,
              maxLength: MAX_APP_TOKEN_LENGTH,
              description: 'The app token the admin command issued (`npm run app -- create`).',
            },
          }
        : {}),
      ...Object.fromEntries(bodyFields.map((name) => [name, properties[name]])),
    },
    required: [
      ...(operation.auth === 'body' ? ['appToken'] : []),
      ...required.filter((name) => bodyFields.includes(name)),
    ],
    // The schemas are strict: any other field is refused (`Received unknown parameter: <field>`).
    ...(input.additionalProperties === false ? { additionalProperties: false } : {}),
  };
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: operation.page === undefined ? operation.description : `${operation.description}\n\n${operation.page}`,
    security: operation.auth === 'bearer' ? [{ appToken: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.fileBody
      ? {
          requestBody: {
            required: true,
            content: {
              [operation.fileBody.mediaType]: {
                schema: {
                  type: 'string',
                  contentMediaType: operation.fileBody.mediaType,
                  description: operation.fileBody.description,
                },
              },
            },
          },
        }
      : {}),
    ...(operation.body === 'none'
      ? {}
      : {
          requestBody: {
            required: operation.body === 'json',
            content: {
              'application/json': {
                schema: body,
                ...(operation.requestExample ? { example: operation.requestExample } : {}),
              },
              // The signer's page posts its forms (with Accept preferring text/html): the same fields, the same rules.
              ...(operation.page === undefined ? {} : { 'application/x-www-form-urlencoded': { schema: body } }),
            },
          },
        }),
    responses: {
      [operation.success.status]: successResponse(operation),
      ...(operation.redirect
        ? {
            [operation.redirect.status]: {
              description: operation.redirect.description,
              headers: {
                Location: { description: operation.redirect.location, schema: { type: 'string', format: 'uri' } },
              },
            },
          }
        : {}),
      ...Object.fromEntries(
        [...byStatus]
          .sort(([a], [b]) => a - b)
          .map(([status, answers]) => [
            status,
            failureResponse(status, answers, operation.page, operation.auth !== 'none'),
          ]),
      ),
    },
  };
};

const describe = (operation: Operation, path: string): Json =>
  operation.kind === 'envelope'
    ? envelopeOperation(operation, path)
    : {
        operationId: operation.operationId,
        tags: [operation.tag],
        summary: operation.summary,
        description: operation.description,
        security: [],
        responses: {
          200: {
            description: operation.summary,
            content: {
              [operation.mediaType]: {
                schema: operation.mediaType === 'application/json' ? { type: 'object' } : { type: 'string' },
              },
            },
          },
        },
      };

const INTRODUCTION = [
  'Sign requests with a race-safe recall: the KAiZEN eSign recall contract, and what a complete e-signature',
  'service needs around it. Every answer is the KAiZEN envelope `{"FailRules":[{Code,Message,Field?}],"Data":…}`:',
  '`Code` is stable and meant for programs, `Message` for people. Requests are JSON with camelCase fields;',
  'answers speak PascalCase.',
  '',
  'Outside the routes below, the local server (`npm start`) answers 404 `ROUTE_NOT_FOUND` (`No such endpoint`) and',
  '405 `METHOD_NOT_ALLOWED` (with `Allow`); in AWS, API Gateway answers them itself.',
].join('\n');

/** The OpenAPI 3.1 document of the route table, generated from the schemas the handlers validate with. */
export const openApiDocument = (): Json => {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const key = routeKey(route) as RouteKey;
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: describe(operations[key], route.path) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'esign-recall',
      version: '1.0.0',
      description: INTRODUCTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      { url: 'http://localhost:3000', description: '`npm start` on this machine' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployed stack: its `ApiUrl` output',
        variables: { apiId: { default: 'your-api-id' }, region: { default: 'us-east-1' } },
      },
    ],
    tags: [
      { name: 'Sign requests', description: 'What an app does, with its app token.' },
      { name: 'Signing', description: 'What a signer does, with the link the app sent them.' },
      { name: 'Evidence', description: 'Sealed certificates of requests, and checking a sealed file.' },
      { name: 'Reference', description: 'This document and its reference page.' },
    ],
    paths,
    components: {
      securitySchemes: {
        appToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The app token, as `Authorization: Bearer <appToken>` (initiate and recall take it in the body).',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'A retry with the same key and body gets the first answer again (with `Idempotent-Replayed: true`) and ' +
            'acts no second time. Keys are scoped per app and operation and remembered for 24 hours.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]{1,255}$' },
        },
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: false,
          description:
            'The read’s `ETag` (or a list of tags, any of which may match; or `*`, any version): the change lands ' +
            'only on that version, in the same one conditional write, else 412 `PRECONDITION_FAILED` and nothing ' +
            'changes. Compared strongly (a weak tag never matches). A missing or foreign request still answers 404.',
          schema: { type: 'string', maxLength: 1024, examples: ['"3"'] },
        },
        SignerProof: {
          name: 'X-Signer-Proof',
          in: 'header',
          required: false,
          description:
            'For a signer initiate gave an `accessCode` or `verify: "email"`: that access code, or the one-time code ' +
            'mailed to them. Missing: 401 `SIGNER_PROOF_REQUIRED`; wrong: 401 `SIGNER_PROOF_INVALID` (one message ' +
            'whatever was wrong), counted: every fifth wrong one in a row locks the signer for 15 minutes (429 ' +
            '`SIGNER_LOCKED` with `Retry-After`), and the request’s `recallAfterFailedProofs` recalls it. Checked ' +
            'after the link (404) and a recalled, declined or expired request (410), before the lock’s 429 and the ' +
            'state’s 409s. Ignored for a signer with no proof.',
          schema: { type: 'string', maxLength: 80 },
        },
      },
      headers: {
        ETag: {
          description:
            'The stored version of the request as a strong entity tag, e.g. `"3"`: every change raises it. Send it ' +
            'back as `If-Match` to recall or resend only the version you read.',
          schema: { type: 'string', pattern: '^"[1-9][0-9]*"$' },
        },
        ContentDisposition: {
          description: 'The name to save the file under: `attachment; filename="<RequestNo>-certificate.pdf"`.',
          schema: { type: 'string' },
        },
        RequestId: {
          description: 'The request id: quote it when reporting a problem; the function logs carry it.',
          schema: { type: 'string' },
        },
        IdempotentReplayed: {
          description: '`true` when this answer is a replay of the first call with the same Idempotency-Key.',
          schema: { type: 'string', enum: ['true'] },
        },
        RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
        RateLimitLimit: {
          description:
            'The app’s burst: how many requests it may make at once (its rate refills them; docs/api.md, “Rate ' +
            'limits”). On every answer once the app token is authenticated; never on a 401.',
          schema: { type: 'integer', minimum: 1 },
        },
        RateLimitRemaining: {
          description:
            'Whole requests the app may still make at once, as the function instance that answered sees it: ' +
            'approximate, since other instances spend from the same bucket. 0 on a 429.',
          schema: { type: 'integer', minimum: 0 },
        },
        RateLimitReset: {
          description: 'Whole seconds until the app’s bucket is full again (the burst available), as last seen.',
          schema: { type: 'integer', minimum: 0 },
        },
      },
      schemas: {
        FailRule: {
          type: 'object',
          properties: {
            Code: { type: 'string', description: 'Stable, for programs.' },
            Message: { type: 'string', description: 'For people.' },
            Field: { type: 'string', description: 'The offending input field, where there is one.' },
          },
          required: ['Code', 'Message'],
        },
      },
    },
  };
};
