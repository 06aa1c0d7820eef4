/**
 * Wire-compatible stub servers for the Anthropic Messages API and OpenAI Chat Completions, so tests
 * run the real SDKs against a local socket. Each request takes the next scripted reply.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** One scripted reply. `args` as a string is sent verbatim, so it can be malformed JSON. */
export type StubReply =
  | {
      kind: 'tool_call';
      name: string;
      args: Record<string, unknown> | string;
      text?: string;
      usage?: StubUsage;
      /** Wait between streamed chunks (ms), for a slow answer. */
      chunkDelayMs?: number;
    }
  | { kind: 'text'; text: string; usage?: StubUsage; chunkDelayMs?: number }
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string> }
  /** Never answers: the client's timeout or abort ends it. */
  | { kind: 'hang' };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface StubServer {
  /** Base URL for the SDK (`…/v1` for OpenAI-style clients, the origin for Anthropic). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Appends replies to the queue. */
  reply(...replies: StubReply[]): void;
  /** Answers requests that find the queue empty (a scripted "model" deciding from the request). */
  respondWith(responder: ((request: RecordedRequest) => StubReply | Promise<StubReply>) | null): void;
  /** Replies still queued. */
  pending(): number;
  close(): Promise<void>;
}

type Flavor = 'anthropic' | 'openai';

/** Splits text in a few chunks so streaming tests see more than one delta. */
function chunks(text: string, size = 5): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function usageOf(reply: { usage?: StubUsage }) {
  return {
    input: reply.usage?.input ?? 100,
    output: reply.usage?.output ?? 20,
    cacheRead: reply.usage?.cacheRead ?? 0,
    cacheWrite: reply.usage?.cacheWrite ?? 0,
  };
}

function argsText(args: Record<string, unknown> | string): string {
  return typeof args === 'string' ? args : JSON.stringify(args);
}

// ------------------------------------------------------------------------------------- anthropic

function anthropicMessage(
  reply: Extract<StubReply, { kind: 'tool_call' | 'text' }>,
  model: string,
  n: number,
) {
  const usage = usageOf(reply);
  const content: unknown[] = [];
  if (reply.text) content.push({ type: 'text', text: reply.text });
  if (reply.kind === 'tool_call') {
    content.push({
      type: 'tool_use',
      id: `toolu_${n}`,
      name: reply.name,
      input: typeof reply.args === 'string' ? {} : reply.args,
    });
  }
  return {
    id: `msg_${n}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.kind === 'tool_call' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_read_input_tokens: usage.cacheRead,
      cache_creation_input_tokens: usage.cacheWrite,
    },
  };
}

function anthropicEvents(
  reply: Extract<StubReply, { kind: 'tool_call' | 'text' }>,
  model: string,
  n: number,
) {
  const usage = usageOf(reply);
  const events: Array<[string, unknown]> = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: `msg_${n}`,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: usage.input,
            output_tokens: 1,
            cache_read_input_tokens: usage.cacheRead,
            cache_creation_input_tokens: usage.cacheWrite,
          },
        },
      },
    ],
  ];
  let index = 0;
  if (reply.text) {
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ]);
    for (const part of chunks(reply.text)) {
      events.push([
        'content_block_delta',
        { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } },
      ]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    index++;
  }
  if (reply.kind === 'tool_call') {
    events.push([
      'content_block_start',
      {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: `toolu_${n}`, name: reply.name, input: {} },
      },
    ]);
    for (const part of chunks(argsText(reply.args), 12)) {
      events.push([
        'content_block_delta',
        { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } },
      ]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  }
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: reply.kind === 'tool_call' ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output },
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

// ---------------------------------------------------------------------------------------- openai

function openaiUsage(reply: { usage?: StubUsage }) {
  const usage = usageOf(reply);
  // OpenAI reports cached tokens inside prompt_tokens.
  return {
    prompt_tokens: usage.input + usage.cacheRead,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.cacheRead + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead },
  };
}

function openaiCompletion(
  reply: Extract<StubReply, { kind: 'tool_call' | 'text' }>,
  model: string,
  n: number,
) {
  return {
    id: `chatcmpl-${n}`,
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        finish_reason: reply.kind === 'tool_call' ? 'tool_calls' : 'stop',
        message: {
          role: 'assistant',
          content: reply.text ?? null,
          ...(reply.kind === 'tool_call'
            ? {
                tool_calls: [
                  {
                    id: `call_${n}`,
                    type: 'function',
                    function: { name: reply.name, arguments: argsText(reply.args) },
                  },
                ],
              }
            : {}),
        },
      },
    ],
    usage: openaiUsage(reply),
  };
}

function openaiChunks(reply: Extract<StubReply, { kind: 'tool_call' | 'text' }>, model: string, n: number) {
  const chunk = (delta: unknown, finish: string | null = null) => ({
    id: `chatcmpl-${n}`,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const out: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const part of chunks(reply.text ?? '')) out.push(chunk({ content: part }));
  if (reply.kind === 'tool_call') {
    out.push(
      chunk({
        tool_calls: [
          { index: 0, id: `call_${n}`, type: 'function', function: { name: reply.name, arguments: '' } },
        ],
      }),
    );
    for (const part of chunks(argsText(reply.args), 12)) {
      out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }));
    }
  }
  out.push(chunk({}, reply.kind === 'tool_call' ? 'tool_calls' : 'stop'));
  out.push({
    id: `chatcmpl-${n}`,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [],
    usage: openaiUsage(reply),
  });
  return out;
}

// ---------------------------------------------------------------------------------------- server

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function startStub(flavor: Flavor): Promise<StubServer> {
  const queue: StubReply[] = [];
  const requests: RecordedRequest[] = [];
  let responder: ((request: RecordedRequest) => StubReply | Promise<StubReply>) | null = null;
  let served = 0;
  const expectedPath = flavor === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || path !== expectedPath) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `no route ${path}` } }));
      return;
    }
    const body = await readBody(req);
    const recorded = { path, headers: req.headers, body };
    requests.push(recorded);
    const reply = queue.shift() ?? (await responder?.(recorded));
    served++;
    const model = String(body.model ?? 'stub');
    if (!reply) {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'stub: no reply queued' } }));
      return;
    }
    if (reply.kind === 'hang') return;
    if (reply.kind === 'error') {
      const message = reply.message ?? `stub error ${reply.status}`;
      const payload =
        flavor === 'anthropic'
          ? { type: 'error', error: { type: anthropicErrorType(reply.status), message } }
          : { error: { message, type: 'stub_error', code: reply.status } };
      res
        .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        .end(JSON.stringify(payload));
      return;
    }
    if (body.stream !== true) {
      const payload =
        flavor === 'anthropic'
          ? anthropicMessage(reply, model, served)
          : openaiCompletion(reply, model, served);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const pause = () =>
      reply.chunkDelayMs ? new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs)) : null;
    if (flavor === 'anthropic') {
      for (const [event, data] of anthropicEvents(reply, model, served)) {
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        await pause();
      }
    } else {
      for (const data of openaiChunks(reply, model, served)) {
        res.write(`data: ${JSON.stringify(data)}\n\n`);
        await pause();
      }
      res.write('data: [DONE]\n\n');
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        url: flavor === 'anthropic' ? origin : `${origin}/v1`,
        requests,
        reply: (...replies) => {
          queue.push(...replies);
        },
        respondWith: (next) => {
          responder = next;
        },
        pending: () => queue.length,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A local Anthropic Messages API (`POST /v1/messages`, JSON and SSE). Pass `url` as the SDK's baseURL. */
export function startAnthropicStub(): Promise<StubServer> {
  return startStub('anthropic');
}

/** A local OpenAI Chat Completions API (`POST /v1/chat/completions`, JSON and SSE). */
export function startOpenAIStub(): Promise<StubServer> {
  return startStub('openai');
}
