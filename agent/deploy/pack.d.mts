/** Types of pack.mjs for the TypeScript tests that reuse it. */
export function stageAgent(dir: string, version: string): void;
export function tarStaged(stage: string, out: string): void;
