import { once } from 'node:events';
import {
  Agent,
  createServer,
  request as storeRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from './seeded-random.ts';

/**
 * A real TCP proxy between a DynamoDB client and the store (or an S3 client and S3) that injects faults per HTTP
 * request. It speaks
 * HTTP/1.1 on both sides (node:http parses the request boundaries of keep-alive connections), so a fault hits
 * exactly one store call, matched by its `X-Amz-Target` operation and, optionally, its JSON body.
 *
 * The faults that matter most happen after a write landed: `forward-then-reset` and `forward-then-500` let the
 * store apply the request and then lose or falsify its answer, as a network or DynamoDB's "may have succeeded"
 * 500 does. `answer-500`, `drop` and `hold` never reach the store.
 */

export type FaultName = 'forward-then-reset' | 'forward-then-500' | 'answer-500' | 'hold' | 'drop';
export interface Delay {
  readonly kind: 'delay';
  readonly ms: number;
}
export type Fault = FaultName | Delay;

/** Forward the request at once, relay the store's answer `ms` later. */
export const delay = (ms: number): Delay => ({ kind: 'delay', ms });

/** A request's JSON body as the SDK sent it (AttributeValue form, e.g. `{ Key: { pk: { S: '…' } } }`). */
export type StoreRequestBody = Readonly<Record<string, unknown>>;

/** A string key attribute (e.g. 'pk') of a request's `Key` or `Item`, for rules that target one item. */
export const keyAttribute = (body: StoreRequestBody, name: string): string | undefined => {
  const item = (body.Key ?? body.Item) as Record<string, { S?: unknown } | undefined> | undefined;
  const value = item?.[name]?.S;
  return typeof value === 'string' ? value : undefined;
};

export interface FaultRule {
  /** Operation name(s) as in X-Amz-Target after the dot: 'PutItem', 'UpdateItem', 'GetItem', 'Query', … */
  readonly operation: string | readonly string[];
  readonly where?: (body: StoreRequestBody) => boolean;
  readonly fault: Fault;
  /** Matching requests let through untouched before the fault starts (0: the first match gets it). */
  readonly skip?: number;
  /** How many matching requests get the fault; default 1, `Infinity` for every one. */
  readonly times?: number;
}

export interface ChaosOptions {
  readonly seed: number;
  /** Share of matching requests that get a fault, 0 to 1. */
  readonly rate: number;
  /** Each faulted request gets one of these, picked by the seeded generator. */
  readonly faults: readonly Fault[];
  /** Default: every operation. */
  readonly operations?: readonly string[];
  readonly where?: (body: StoreRequestBody) => boolean;
}

export interface ProxiedRequest {
  /** Order of arrival (complete request received), from 1. */
  readonly seq: number;
  /** Which client connection carried it, from 1: requests on one keep-alive connection share it. */
  readonly connection: number;
  readonly operation: string;
  readonly tableName: string | undefined;
  /** How the request body was delimited; the SDK sends DynamoDB bodies with a Content-Length. */
  readonly framing: 'content-length' | 'chunked' | 'none';
  readonly fault: FaultName | 'delay' | 'none';
  readonly delayMs: number | undefined;
  readonly decidedBy: 'plan' | 'chaos' | 'none';
  /** The store received the request and answered it; a write it answered 200 took effect. */
  readonly landed: boolean;
  readonly storeStatus: number | undefined;
  /** The store's error type (`__type` after the `#`), e.g. 'ConditionalCheckFailedException'. */
  readonly storeErrorType: string | undefined;
  /** A failure to reach the store at all (the client then gets a reset). */
  readonly storeError: string | undefined;
  /**
   * What the client got: an HTTP status, a reset connection, nothing ('held'), 'gone' if it hung up before
   * the proxy answered, or 'pending' while the proxy is still at work.
   */
  readonly client: number | 'reset' | 'held' | 'gone' | 'pending';
}

export interface PlannedFault {
  /** How many requests got this fault so far. */
  readonly applied: () => number;
  /** Resolves once the first request that got this fault has been dealt with (held, reset, answered). */
  readonly firstHit: Promise<ProxiedRequest>;
  readonly cancel: () => void;
}

export interface FaultProxy {
  /** http://127.0.0.1:port, to use as the DynamoDB endpoint. */
  readonly endpoint: string;
  readonly plan: (rule: FaultRule) => PlannedFault;
  /** Seeded faults for every request no planned rule took; calling it again restarts from the new seed. */
  readonly chaos: (options: ChaosOptions) => void;
  /** Copies of every request seen since start or the last reset, in order of arrival. */
  readonly log: () => ProxiedRequest[];
  /** Resolves when no request is in flight, except held ones. */
  readonly settled: () => Promise<void>;
  /** Forgets planned rules, chaos and the log; requests in flight keep their fault. */
  readonly reset: () => void;
  /** Closes every connection (held ones included) and stops listening. */
  readonly close: () => Promise<void>;
}

const INTERNAL_SERVER_ERROR = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message: 'Internal server error',
});

/** Headers that describe one hop's connection, not the message; node:http sets its own on each side. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te']);

interface StoreAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface ActiveRule {
  rule: FaultRule;
  matched: number;
  applied: number;
  cancelled: boolean;
  onFirstHit: (entry: ProxiedRequest) => void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** `application` counts this rule's faults, this one included: 1 is the first hit. */
type Decision = {
  fault: Fault | undefined;
  decidedBy: ProxiedRequest['decidedBy'];
  rule?: { active: ActiveRule; application: number };
};

const operationsOf = (operation: string | readonly string[]) =>
  typeof operation === 'string' ? [operation] : operation;

const parseBody = (raw: Buffer): StoreRequestBody => {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as StoreRequestBody) : {};
  } catch {
    return {};
  }
};

const errorTypeOf = (answer: StoreAnswer): string | undefined => {
  if (answer.status < 300) return undefined;
  const type = parseBody(answer.body).__type;
  return typeof type === 'string' ? type.slice(type.indexOf('#') + 1) : undefined;
};

const readAll = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const withoutHopByHop = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));

/**
 * An S3 call's operation, as the SDK names it: its `x-id` query parameter (PutObject, GetObject), or the
 * sub-resource a tagging call names. So the proxy stands between an S3 client and S3 (s3rver) too.
 */
const s3Operation = (request: IncomingMessage): string => {
  const query = new URL(request.url ?? '/', 'http://proxy').searchParams;
  const named = query.get('x-id');
  if (named) return named;
  if (query.has('tagging')) return request.method === 'PUT' ? 'PutObjectTagging' : 'GetObjectTagging';
  return 'unknown';
};

export const startFaultProxy = async (options: { target: string }): Promise<FaultProxy> => {
  const target = new URL(options.target);
  // One fresh store connection per request: a reused idle connection could meet the store's own keep-alive
  // close and fail for reasons no test planned.
  const storeAgent = new Agent({ keepAlive: false });
  const connectionIds = new WeakMap<Socket, number>();
  const inFlight = new Set<Promise<void>>();
  const pendingDelays = new Set<() => void>();
  let entries: Mutable<ProxiedRequest>[] = [];
  let rules: ActiveRule[] = [];
  let chaos: { options: ChaosOptions; random: () => number } | undefined;
  let connections = 0;
  let closed = false;

  const decide = (operation: string, body: StoreRequestBody): Decision => {
    for (const active of rules) {
      const { rule } = active;
      if (active.cancelled || active.applied >= (rule.times ?? 1)) continue;
      if (!operationsOf(rule.operation).includes(operation) || (rule.where && !rule.where(body))) continue;
      active.matched++;
      if (active.matched <= (rule.skip ?? 0)) continue;
      active.applied++;
      return { fault: rule.fault, decidedBy: 'plan', rule: { active, application: active.applied } };
    }
    if (!chaos) return { fault: undefined, decidedBy: 'none' };
    const { options: c, random } = chaos;
    if (c.operations && !c.operations.includes(operation)) return { fault: undefined, decidedBy: 'none' };
    if (c.where && !c.where(body)) return { fault: undefined, decidedBy: 'none' };
    // Always two draws per matching request, so one decision never shifts the ones after it.
    const roll = random();
    const pick = random();
    const fault = roll < c.rate ? c.faults[Math.floor(pick * c.faults.length)] : undefined;
    return { fault, decidedBy: fault ? 'chaos' : 'none' };
  };

  const forward = (request: IncomingMessage, body: Buffer): Promise<StoreAnswer> =>
    new Promise((resolve, reject) => {
      const outgoing = storeRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          agent: storeAgent,
          headers: { ...withoutHopByHop(request.headers), 'content-length': String(body.length) },
        },
        (answer) => {
          readAll(answer)
            .then((answerBody) =>
              resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body: answerBody }),
            )
            .catch(reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pendingDelays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pendingDelays.add(done);
    });

  const clientGone = (response: ServerResponse) => response.destroyed || response.socket?.destroyed !== false;

  const reset = (response: ServerResponse, entry: Mutable<ProxiedRequest>) => {
    if (clientGone(response)) {
      entry.client = 'gone';
      return;
    }
    // An RST, not a FIN: the client sees ECONNRESET, as when a connection dies mid-answer.
    response.socket?.resetAndDestroy();
    entry.client = 'reset';
  };

  const answer = (response: ServerResponse, entry: Mutable<ProxiedRequest>, reply: StoreAnswer) => {
    if (clientGone(response)) {
      entry.client = 'gone';
      return;
    }
    response.writeHead(reply.status, {
      ...withoutHopByHop(reply.headers),
      'content-length': String(reply.body.length),
    });
    response.end(reply.body);
    entry.client = reply.status;
  };

  const internalServerError = (): StoreAnswer => ({
    status: 500,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(INTERNAL_SERVER_ERROR),
  });

  const act = async (
    fault: Fault | undefined,
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
    entry: Mutable<ProxiedRequest>,
  ) => {
    if (fault === 'drop') return reset(response, entry);
    if (fault === 'hold') {
      entry.client = 'held';
      return;
    }
    if (fault === 'answer-500') return answer(response, entry, internalServerError());

    let stored: StoreAnswer;
    try {
      stored = await forward(request, body);
    } catch (error) {
      entry.storeError = error instanceof Error ? error.message : String(error);
      return reset(response, entry);
    }
    entry.landed = true;
    entry.storeStatus = stored.status;
    entry.storeErrorType = errorTypeOf(stored);

    if (fault === 'forward-then-reset') return reset(response, entry);
    if (fault === 'forward-then-500') return answer(response, entry, internalServerError());
    if (fault !== undefined) await wait(fault.ms);
    answer(response, entry, stored);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    let body: Buffer;
    try {
      body = await readAll(request);
    } catch {
      return; // the client hung up before its request was complete: there is nothing to fault or forward
    }
    const parsed = parseBody(body);
    const amzTarget = request.headers['x-amz-target'];
    const operation =
      typeof amzTarget === 'string' ? amzTarget.slice(amzTarget.indexOf('.') + 1) : s3Operation(request);
    const entry: Mutable<ProxiedRequest> = {
      seq: entries.length + 1,
      connection: connectionIds.get(request.socket) ?? 0,
      operation,
      tableName: typeof parsed.TableName === 'string' ? parsed.TableName : undefined,
      framing: request.headers['transfer-encoding']?.includes('chunked')
        ? 'chunked'
        : request.headers['content-length'] !== undefined
          ? 'content-length'
          : 'none',
      fault: 'none',
      delayMs: undefined,
      decidedBy: 'none',
      landed: false,
      storeStatus: undefined,
      storeErrorType: undefined,
      storeError: undefined,
      client: 'pending',
    };
    entries.push(entry);
    const decision = decide(operation, parsed);
    if (decision.fault !== undefined) {
      entry.fault = typeof decision.fault === 'string' ? decision.fault : 'delay';
      entry.delayMs = typeof decision.fault === 'string' ? undefined : decision.fault.ms;
      entry.decidedBy = decision.decidedBy;
    }
    await act(decision.fault, request, response, body, entry);
    if (decision.rule?.application === 1) decision.rule.active.onFirstHit({ ...entry });
  };

  const server = createServer((request, response) => {
    const work = handle(request, response)
      .catch((error: unknown) => {
        // A bug in the proxy or in a rule's predicate: the client must not wait for an answer that will not
        // come, and the error stays unhandled so the test run reports it.
        request.socket.destroy();
        throw error;
      })
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  // Idle keep-alive connections stay open until close(): a proxy-side timeout could reset a connection the
  // client is just reusing, a fault no test asked for.
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.on('connection', (socket: Socket) => connectionIds.set(socket, ++connections));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    plan: (rule) => {
      let onFirstHit: (entry: ProxiedRequest) => void = () => undefined;
      const firstHit = new Promise<ProxiedRequest>((resolve) => (onFirstHit = resolve));
      const active: ActiveRule = { rule, matched: 0, applied: 0, cancelled: false, onFirstHit };
      rules.push(active);
      return {
        applied: () => active.applied,
        firstHit,
        cancel: () => {
          active.cancelled = true;
        },
      };
    },
    chaos: (chaosOptions) => {
      chaos = { options: chaosOptions, random: seededRandom(chaosOptions.seed) };
    },
    log: () => entries.map((entry) => ({ ...entry })),
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled(inFlight);
    },
    reset: () => {
      for (const active of rules) active.cancelled = true;
      rules = [];
      chaos = undefined;
      entries = [];
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const release of [...pendingDelays]) release();
      const closing = once(server, 'close');
      server.close();
      server.closeAllConnections();
      storeAgent.destroy();
      await closing;
    },
  };
};
