/** The Jest transformer of `somonscript/jest` (`transform: { '\\.som$': 'somonscript/jest' }`). */
declare const transformer: {
  canInstrument: false;
  getCacheKey(sourceText: string, sourcePath: string, options?: unknown): string;
  process(sourceText: string, sourcePath: string, options?: unknown): { code: string; map: object };
  createTransformer(): Omit<typeof transformer, 'createTransformer'>;
};
export = transformer;
