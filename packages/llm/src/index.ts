export { type AnthropicClientOptions, acceptsForcedToolUse, createAnthropicClient } from './anthropic.ts';
export { createDbCallLog, listRecentCalls } from './call-log.db.ts';
export { type CallAttempt, type CallLog, type CallStatus, createMemoryCallLog } from './call-log.ts';
export {
  createWorkerSelector,
  type LlmSettings,
  type ModelChoice,
  modelForProject,
  projectModelOverride,
  type ResolvedModels,
  type ResolveResult,
  ROLES,
  type Role,
  resolveModelRef,
  resolveModels,
  type SharedWorkerOptions,
} from './config.ts';
export {
  type BuiltContext,
  type ChatMessage,
  contextToMessages,
  ESCALATE_TOOL,
  estimateTokens,
  FINAL_TOOL,
  type ToolSpec,
} from './messages.ts';
export { createOpenAIClient, OPENROUTER_BASE_URL, type OpenAIClientOptions } from './openai.ts';
export {
  type CompletionRequest,
  type CompletionResult,
  type ModelClient,
  type ModelToolCall,
  PROVIDERS,
  type Provider,
  ProviderError,
  type ProviderErrorKind,
  type TokenUsage,
} from './port.ts';
export {
  type Cost,
  costOf,
  createPricing,
  DEFAULT_PRICES,
  type ModelPrice,
  type PricingTable,
  priceOf,
  worstCaseCost,
} from './pricing.ts';
export { createModelClient, type ProviderConfig, providerFactories } from './providers.ts';
export { REDACTED, redactSecrets } from './redact.ts';
export { createModelWorker, type ModelUsage, type ModelWorkerOptions, toEnvelope } from './worker.ts';
