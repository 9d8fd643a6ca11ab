// GET /me: the public profile plus account_id (email, country and product are gone for new apps).

import { json } from '../http';
import { requireScope } from './context';
import type { Router } from './router';

export function register(router: Router): void {
  router.add('GET', '/me', (ctx) => {
    requireScope(ctx, 'user-read-private');
    return json(200, ctx.render.me());
  });
}
