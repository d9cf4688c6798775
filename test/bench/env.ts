// Imported first by bench.ts: the environment every module reads at load time must exist before
// any of them is loaded (imports run in order, before the importing module's own body).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_DEV = process.env.POWERTOOLS_DEV ?? 'false';
export {};
