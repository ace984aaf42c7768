export { offlineModel, OFFLINE_PREFIX, type OfflineModelOptions } from "./offline-model";
export { extendOfflineRules, offlineRules, callMentionedTool, answerFromResults, fallback, type OfflineRule, type OfflineAction } from "./rules";
export { fillArguments, domainWords, topicOf } from "./arguments";
export type { OfflineContext, OfferedTool, TurnResult } from "./context";
