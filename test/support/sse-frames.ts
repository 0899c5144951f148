/** Parses an SSE body into its `data:` payloads (JSON where it parses, else the text, e.g. `[DONE]`) and named events. */
export function frames(text: string): Array<{ event?: string; data: any }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      try {
        return { event, data: JSON.parse(data) };
      } catch {
        return { event, data };
      }
    });
}
