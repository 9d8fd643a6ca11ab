// A listener for every Web API exchange the simulator answers, in every simulator of the process: the test
// run holds them to Spotify's OpenAPI description (test/contract/). The demo and the CLI install none.

export interface ApiExchange {
  method: string;
  /** The full path, /v1/… */
  path: string;
  query: Record<string, string>;
  requestBody: Buffer;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string | Buffer | undefined;
  /** The answer is a fault the test injected (or the connection was cut), not the simulator's own. */
  injected: boolean;
}

let listener: ((x: ApiExchange) => void) | undefined;

export function setApiTap(fn: ((x: ApiExchange) => void) | undefined): void {
  listener = fn;
}

export function tapApi(x: ApiExchange): void {
  listener?.(x);
}
