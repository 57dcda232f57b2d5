// What a paste hands the editor, without a browser: a clipboard's text, and its HTML when the
// copy came from a page.
export function copied(text: string, html?: string): DataTransfer {
  const data: Record<string, string> = { 'text/plain': text, ...(html === undefined ? {} : { 'text/html': html }) };
  return { types: Object.keys(data), getData: (type: string) => data[type] ?? '' } as unknown as DataTransfer;
}
