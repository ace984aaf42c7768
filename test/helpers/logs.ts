import { vi } from "vitest";

export type LogLine = Record<string, unknown>;

/**
 * Captures what the Worker and its objects log on one console channel (they share the test's isolate), parsed from
 * their JSON lines, until `vi.restoreAllMocks()`. A test that makes the platform log asserts the lines here, so a
 * passing run prints only what nobody expected.
 */
export function captureLogs(level: "error" | "warn" | "log"): LogLine[] {
  const lines: LogLine[] = [];
  vi.spyOn(console, level).mockImplementation((line: unknown) => {
    try {
      lines.push(JSON.parse(String(line)) as LogLine);
    } catch {
      lines.push({ text: String(line) });
    }
  });
  return lines;
}
