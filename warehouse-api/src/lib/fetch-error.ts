/** Why a fetch() threw, in a word for a log line: "timeout", or the system error behind "fetch failed" (ECONNREFUSED, ENOTFOUND, ...). */
export function fetchErrorCode(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "timeout";
    const cause: unknown = error.cause;
    if (cause && typeof cause === "object" && "code" in cause && typeof cause.code === "string") return cause.code;
    return error.name;
  }
  return "unknown";
}
