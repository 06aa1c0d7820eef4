/**
 * Anthropic Messages API adapter: translates the internal model to native tool definitions, caches the
 * stable prefix (system prompt and tools), streams text deltas, and maps SDK errors to ProviderError.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage } from './messages.ts';
import {
  type CompletionRequest,
  type CompletionResult,
  type ModelClient,
  type ModelToolCall,
  mapHttpError,
  parseArgs,
} from './port.ts';

export interface AnthropicClientOptions {
  apiKey: string;
  /** An Anthropic-compatible gateway; the SDK default otherwise. */
  baseURL?: string;
  /** Per-request timeout; the worker retries, so the SDK's own retries are off. */
  timeoutMs?: number;
}

type Block = Anthropic.Messages.ContentBlockParam;

function toAnthropicMessages(messages: ChatMessage[]): Anthropic.Messages.MessageParam[] {
  const out: Anthropic.Messages.MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    // The API wants alternating roles; consecutive same-role parts become one message.
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        push('user', [{ type: 'text', text: message.text }]);
        break;
      case 'assistant': {
        const blocks: Block[] = [];
        if (message.text) blocks.push({ type: 'text', text: message.text });
        if (message.toolCall) {
          blocks.push({
            type: 'tool_use',
            id: message.toolCall.id,
            name: message.toolCall.name,
            input:
              message.toolCall.args && typeof message.toolCall.args === 'object' ? message.toolCall.args : {},
          });
        }
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: message.callId,
            content: message.content,
            is_error: message.isError,
          },
        ]);
        break;
    }
  }
  if (out[0]?.role !== 'user') out.unshift({ role: 'user', content: 'Continue the project.' });
  return out;
}

/** A ModelClient over the Anthropic Messages API. */
export function createAnthropicClient(options: AnthropicClientOptions): ModelClient {
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    provider: 'anthropic',
    async complete(request: CompletionRequest): Promise<CompletionResult> {
      const tools: Anthropic.Messages.Tool[] = request.tools.map((tool, i) => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.parameters as Anthropic.Messages.Tool.InputSchema,
        // One breakpoint after the last tool caches system prompt + tools together.
        ...(i === request.tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
      }));
      try {
        const stream = sdk.messages.stream(
          {
            model: request.model,
            max_tokens: request.maxTokens,
            system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
            messages: toAnthropicMessages(request.messages),
            tools,
            // Where the model allows it, a tool call is forced; newer models refuse forced tool use,
            // and an answer without one goes through the engine's repair path instead.
            tool_choice: { type: acceptsForcedToolUse(request.model) ? 'any' : 'auto' },
          },
          { ...(request.signal ? { signal: request.signal } : {}) },
        );
        if (request.onText) {
          const onText = request.onText;
          stream.on('text', (delta) => onText(delta));
        }
        // The helper parses tool input leniently (partial JSON); the raw text is kept to parse strictly.
        const inputJson = new Map<number, string>();
        stream.on('streamEvent', (event) => {
          if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
            inputJson.set(event.index, (inputJson.get(event.index) ?? '') + event.delta.partial_json);
          }
        });
        const message = await stream.finalMessage();
        let text = '';
        let toolCall: ModelToolCall | undefined;
        message.content.forEach((block, index) => {
          if (block.type === 'text') text += block.text;
          else if (block.type === 'tool_use' && !toolCall) {
            const raw = inputJson.get(index);
            toolCall = { id: block.id, name: block.name, args: raw === undefined ? {} : parseArgs(raw) };
          }
        });
        return {
          ...(toolCall ? { toolCall } : {}),
          text,
          usage: {
            input: message.usage.input_tokens,
            output: message.usage.output_tokens,
            cacheRead: message.usage.cache_read_input_tokens ?? 0,
            cacheWrite: message.usage.cache_creation_input_tokens ?? 0,
          },
          raw: message,
        };
      } catch (error) {
        throw mapHttpError(error, 'anthropic', {
          isAbort: error instanceof Anthropic.APIUserAbortError || request.signal?.aborted === true,
          isTimeout: error instanceof Anthropic.APIConnectionTimeoutError,
          isConnection: error instanceof Anthropic.APIConnectionError,
        });
      }
    },
  };
}

/**
 * Whether a Claude model accepts `tool_choice: any`. From Claude Opus 5.5, Sonnet 5.5 and Fable 5.1
 * on, forcing a tool is an error (their thinking cannot be turned off); unknown ids are assumed older.
 */
export function acceptsForcedToolUse(model: string): boolean {
  const match = /claude-([a-z]+)-(\d+)(?:-(\d+))?(?![\d])/.exec(model);
  if (!match) return true;
  const family = match[1] as string;
  const version = Number(match[2]) + Number(match[3] ?? 0) / 10;
  if (family === 'fable' || family === 'mythos') return version < 5.1;
  return version < 5.5;
}
