// Pure units of the Node-RED adapter, in the fast loop: the few words of a node's status for each failure, and
// what a refused message hands on to its Catch node. Each case is a mistake a user would see.
import assert from 'node:assert/strict';
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { statusTextFor } from '../../nodes/node-red/action-node';
import { failMessage } from '../../nodes/node-red/message-guard';
import { AuthorizationError, InputError } from '../../nodes/spotify/errors';

describe('node status for a failure', function () {
  it('a missing scope says "missing scope", not authorized says "not authorized", other token trouble "token error"', function () {
    assert.equal(statusTextFor(new AuthorizationError('missing_scope', 'needs playlist-modify-private')), 'missing scope');
    assert.equal(statusTextFor(new AuthorizationError('not_authorized', 'Not authorized')), 'not authorized');
    assert.equal(statusTextFor(new AuthorizationError('token_endpoint', 'down')), 'token error');
  });
});

describe('a refused message, as its Catch node gets it', function () {
  const RED = { util: { cloneMessage: <T>(m: T): T => m } } as unknown as NodeAPI;
  const node = { error: () => undefined } as unknown as Node;

  function refuse(msg: NodeMessage): string {
    let handed: unknown;
    failMessage(RED, node, msg, new InputError('tracks', 'at most 10000 items'), (err) => (handed = err));
    return String(handed);
  }

  it('an array of up to 20,000 items is passed on; a longer one is named in the error and left out', function () {
    const kept: NodeMessage = { payload: new Array<string>(20_000).fill('x') };
    assert.doesNotMatch(refuse(kept), /not passed on/);
    assert.equal((kept.payload as string[]).length, 20_000);

    const left: NodeMessage = { payload: new Array<string>(20_001).fill('x') };
    assert.match(refuse(left), /msg\.payload \(an array of 20001 items\) not passed on to the Catch node/);
    assert.equal(left.payload, '[an array of 20001 items, not passed on]');
  });
});
