// The Spotify account configuration node: the app's Client ID and secret, the scopes, and the authorization
// every action node of this account uses. Tokens live in the encrypted token store, not in the flow.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { closeAccount, liveAccount, openAccount } from './spotify/account';
import { AuthorizationFlows } from './spotify/authorization-flow';
import { parseScopes, scopeWords, useScopeWords } from './spotify/scopes';
import type { AuthorizationStatus } from './spotify/token-manager';
import { expiryWarning, statusFor, type AccountConfigNode } from './node-red/action-node';
import { registerAdminRoutes } from './node-red/admin-routes';
import { registerPickerRoutes } from './node-red/picker-routes';
import { registerRunOnceRoute } from './node-red/run-once-route';
import { accountCatalogText, runtimeText, useAccountCatalog } from './node-red/messages';
import { editorSettings } from './node-red/fields';
import { packSettings } from './node-red/pack-settings';
import { registerNode } from './node-red/register-node';
import { sharedAccountConfig, stateBackend, useGlobalContext, type AccountCredentials } from './node-red/state-backend';
import type { GlobalContext } from './node-red/context-store';

interface AccountDef extends NodeDef {
  clientId?: string;
  scopes?: string | string[];
  redirectUri?: string;
}

export = function register(RED: NodeAPI): void {
  const settings = packSettings(RED);
  useAccountCatalog(RED); // every node's runtime texts come from this module's catalog
  useScopeWords(accountCatalogText); // scopes named in statuses and warnings in the runtime's language
  const backend = stateBackend(RED, settings);
  const flows = new AuthorizationFlows({
    store: () => backend.tokens,
    // The running config node (if deployed) re-reads the store, so new tokens work with no Deploy.
    onAuthorized: async (result) => {
      await liveAccount(result.accountId)?.tokens.reload();
    },
  });
  registerAdminRoutes(RED, flows);
  registerPickerRoutes(RED);
  registerRunOnceRoute(RED);

  function AccountNode(this: AccountConfigNode & Node<AccountCredentials>, def: AccountDef): void {
    RED.nodes.createNode(this, def);
    this.packSettings = settings;
    const clientId = (def.clientId ?? '').trim();
    const creds = this.credentials ?? {};
    // Inside a subflow instance the node gets an alias id; tokens belong to the id the editor knows.
    const accountId = this._alias ?? this.id;
    if (!clientId || !creds.storeKey) {
      this.status({ fill: 'red', shape: 'ring', text: runtimeText(!clientId ? 'status.noClientId' : 'status.notAuthorized') });
      return;
    }
    const account = openAccount({
      id: accountId,
      clientId,
      clientSecret: creds.clientSecret || undefined,
      storeKey: creds.storeKey,
      ...sharedAccountConfig(settings, backend),
    });
    this.account = account;
    const scopes = parseScopes(def.scopes);
    // An authorization given after this deploy came from the dialog, with the scopes ticked there then (the user
    // may have unticked one): only one from before is held against the ticked scopes deployed here.
    const deployedAt = Date.now();
    let warnedScopes = false;
    const onState = (s: AuthorizationStatus): void => {
      if (s.state === 'authorize_again') this.status({ fill: 'red', shape: 'ring', text: runtimeText('status.authorizeAgain') });
      else if (s.state === 'not_authorized') this.status({ fill: 'yellow', shape: 'ring', text: runtimeText('status.notAuthorized') });
      else if (s.state === 'store_unreadable') this.status(statusFor(s));
      else if (s.state === 'authorized')
        this.status(expiryWarning(s) ?? { fill: 'green', shape: 'dot', text: s.displayName ?? runtimeText('status.authorized') });
      const notGranted = scopes.filter((sc) => !s.scopes.includes(sc));
      if (s.state === 'authorized' && !warnedScopes && (s.authorizedAt ?? 0) < deployedAt && notGranted.length > 0) {
        warnedScopes = true;
        this.warn(runtimeText('errors.scopesNotGranted', { scopes: notGranted.map(scopeWords).join(', ') }));
      }
    };
    account.tokens.on('state', onState);
    account.tokens.load().catch((err: Error) => this.error(runtimeText('errors.tokenStore', { message: err.message })));
    this.on('close', (_removed: boolean, done: () => void) => {
      account.tokens.off('state', onState);
      closeAccount(account);
      done();
    });
  }

  const RegisteredAccountNode = registerNode(RED, 'spotify-account', AccountNode as unknown as (this: Node, def: NodeDef) => void, {
    credentials: {
      clientSecret: { type: 'password' },
      storeKey: { type: 'password' },
    },
    settings: editorSettings('spotify-account'),
  });

  // A context store is reached through a node's global context; the module has no node of its own, so it makes
  // one (never deployed, never started) the first time the store is used.
  let contextHolder: Node | undefined;
  useGlobalContext((): GlobalContext => {
    if (!contextHolder) {
      contextHolder = Object.create(RegisteredAccountNode.prototype as object) as Node;
      RED.nodes.createNode(contextHolder, { id: 'tunewire-state-store', type: 'spotify-account', z: '', name: '' });
    }
    return contextHolder.context().global;
  });
};
