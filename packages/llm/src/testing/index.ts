export {
  type RecordedRequest,
  type StubReply,
  type StubServer,
  type StubUsage,
  startAnthropicStub,
  startOpenAIStub,
} from './stub-server.ts';
