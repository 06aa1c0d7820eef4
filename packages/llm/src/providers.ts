/** The provider registry: every Provider needs a factory, so a new one does not compile until complete. */
import { createAnthropicClient } from './anthropic.ts';
import { createOpenAIClient } from './openai.ts';
import type { ModelClient, Provider } from './port.ts';

export interface ProviderConfig {
  apiKey: string;
  baseURL?: string;
  timeoutMs?: number;
}

export const providerFactories: Record<Provider, (config: ProviderConfig) => ModelClient> = {
  anthropic: createAnthropicClient,
  openai: createOpenAIClient,
};

/** A client for `provider` with its key and optional base URL. */
export function createModelClient(provider: Provider, config: ProviderConfig): ModelClient {
  return providerFactories[provider](config);
}
