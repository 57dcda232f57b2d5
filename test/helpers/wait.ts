/** Polls until `check` returns a truthy value (or stops throwing); tests never sleep blindly. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeout = 60_000, interval = 20, message }: { timeout?: number; interval?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${message ?? 'condition not met'} within ${timeout} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
