/**
 * OpenAI-compatible Chat Completions adapter (OpenAI, OpenRouter, local servers such as Ollama, vLLM
 * or LM Studio): function tools, streaming with tool-call deltas accumulated, usage from the final chunk.
 */
import OpenAI from 'openai';
import { acceptsForcedToolUse } from './anthropic.ts';
import type { ChatMessage } from './messages.ts';
import {
  type CompletionRequest,
  type CompletionResult,
  type ModelClient,
  type ModelToolCall,
  mapHttpError,
  parseArgs,
} from './port.ts';

export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

export interface OpenAIClientOptions {
  /** Local servers accept any key; pass a placeholder such as "local". */
  apiKey: string;
  /** OpenRouter, OpenAI (the SDK default) or a local server. */
  baseURL?: string;
  timeoutMs?: number;
  /** Extra headers, e.g. OpenRouter's `HTTP-Referer` and `X-Title`. */
  headers?: Record<string, string>;
}

type Param = OpenAI.Chat.Completions.ChatCompletionMessageParam;

function toOpenAIMessages(system: string, messages: ChatMessage[]): Param[] {
  const out: Param[] = [{ role: 'system', content: system }];
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: message.text });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          content: message.text || null,
          ...(message.toolCall
            ? {
                tool_calls: [
                  {
                    id: message.toolCall.id,
                    type: 'function' as const,
                    function: {
                      name: message.toolCall.name,
                      arguments: JSON.stringify(message.toolCall.args ?? {}),
                    },
                  },
                ],
              }
            : {}),
        });
        break;
      case 'tool':
        out.push({ role: 'tool', tool_call_id: message.callId, content: message.content });
        break;
    }
  }
  return out;
}

/** A ModelClient over an OpenAI-compatible Chat Completions endpoint. */
export function createOpenAIClient(options: OpenAIClientOptions): ModelClient {
  const sdk = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.headers ? { defaultHeaders: options.headers } : {}),
    maxRetries: 0,
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    provider: 'openai',
    async complete(request: CompletionRequest): Promise<CompletionResult> {
      try {
        const stream = await sdk.chat.completions.create(
          {
            model: request.model,
            max_tokens: request.maxTokens,
            messages: toOpenAIMessages(request.system, request.messages),
            tools: request.tools.map((tool) => ({
              type: 'function' as const,
              function: { name: tool.name, description: tool.description, parameters: tool.parameters },
            })),
            // Claude models from 5.5 on refuse forced tool use, also through OpenRouter.
            tool_choice: acceptsForcedToolUse(request.model.replace(/(\d)\.(\d)/g, '$1-$2'))
              ? 'required'
              : 'auto',
            stream: true,
            stream_options: { include_usage: true },
          },
          { ...(request.signal ? { signal: request.signal } : {}) },
        );
        let text = '';
        const calls = new Map<number, { id: string; name: string; args: string }>();
        let usage: OpenAI.CompletionUsage | undefined;
        const chunks: unknown[] = [];
        for await (const chunk of stream) {
          chunks.push(chunk);
          if (chunk.usage) usage = chunk.usage;
          const delta = chunk.choices[0]?.delta;
          if (!delta) continue;
          if (delta.content) {
            text += delta.content;
            request.onText?.(delta.content);
          }
          for (const part of delta.tool_calls ?? []) {
            const call = calls.get(part.index) ?? { id: '', name: '', args: '' };
            if (part.id) call.id = part.id;
            if (part.function?.name) call.name += part.function.name;
            if (part.function?.arguments) call.args += part.function.arguments;
            calls.set(part.index, call);
          }
        }
        const first = [...calls.entries()].sort(([a], [b]) => a - b)[0]?.[1];
        const toolCall: ModelToolCall | undefined = first?.name
          ? { id: first.id || 'call_0', name: first.name, args: parseArgs(first.args) }
          : undefined;
        const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
        return {
          ...(toolCall ? { toolCall } : {}),
          text,
          usage: {
            // OpenAI counts cached tokens inside prompt_tokens; report them apart so each is priced once.
            input: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
            output: usage?.completion_tokens ?? 0,
            cacheRead: cached,
            cacheWrite: 0,
          },
          raw: { text, toolCalls: [...calls.values()], usage, chunks: chunks.length },
        };
      } catch (error) {
        throw mapHttpError(error, 'openai', {
          isAbort: error instanceof OpenAI.APIUserAbortError || request.signal?.aborted === true,
          isTimeout: error instanceof OpenAI.APIConnectionTimeoutError,
          isConnection: error instanceof OpenAI.APIConnectionError,
        });
      }
    },
  };
}
