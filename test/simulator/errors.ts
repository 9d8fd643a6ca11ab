// Spotify's two error shapes. Handlers throw these; the server turns them into answers.

/** Web API error: {"error":{"status":N,"message":"…","reason"?:"…"}}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Accounts (RFC 6749) error: {"error":"invalid_grant","error_description":"…"}. */
export class AccountsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'AccountsError';
  }
}

export function apiErrorBody(
  status: number,
  message: string,
  reason?: string,
): { error: { status: number; message: string; reason?: string } } {
  return { error: reason ? { status, message, reason } : { status, message } };
}

/** The message Spotify uses for a status when a fault rule gives none. */
export function defaultMessage(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request';
    case 401:
      return 'Invalid access token';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not found';
    case 405:
      return 'Method not allowed';
    case 413:
      return 'Payload too large';
    case 429:
      return 'Too many requests';
    case 500:
      return 'Server error';
    case 502:
      return 'Bad gateway';
    case 503:
      return 'Service unavailable';
    case 504:
      return 'Gateway timeout';
    default:
      return status >= 500 ? 'Server error' : 'Request failed';
  }
}

/** The RFC 6749 code the accounts service would use for a faulted status. */
export function defaultAccountsCode(status: number): string {
  if (status === 400) return 'invalid_request';
  if (status === 401) return 'invalid_client';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'temporarily_unavailable';
  return 'server_error';
}
