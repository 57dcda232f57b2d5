// Module resolution hooks for stock-yjs.mjs: `yjs` and its subpaths become `yjs-stock`.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'yjs' || specifier.startsWith('yjs/')) return nextResolve(`yjs-stock${specifier.slice(3)}`, context);
  return nextResolve(specifier, context);
}
