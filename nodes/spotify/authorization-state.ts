// How an account's authorization stands (TokenManager's state), in a file of its own that imports nothing, so the
// editor bundle can name it too.

/** `store_unreadable`: the token file could not be read (damaged, or refused by the system). */
export type AuthorizationState = 'unknown' | 'not_authorized' | 'authorized' | 'authorize_again' | 'store_unreadable';
