export { normalizeFinishReason } from './finish-reason.js';
export {
  type FinishReason,
  type NormalizedResponse,
  type NormalizedUsage,
  type ResponseMetadata,
  type ToolCall,
} from './normalized-response.js';
export { normalizeUsage, tokenCount } from './usage.js';
export { estimatePromptTokens } from './prompt-tokens.js';
