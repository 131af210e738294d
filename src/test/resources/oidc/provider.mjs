// Real OpenID Providers for docqa's single sign-on tests: panva's certified `oidc-provider`, started by the tests
// (support class OidcProviders). Three servers on 127.0.0.1, each on a port of its own:
//   main   - an honest provider;
//   other  - another honest provider, with an issuer of its own;
//   mixup  - serves only a forged discovery document: other's endpoints under mixup's name as the issuer, so the ID
//            tokens a client gets through it are other's (a provider mix-up).
// Accounts: any login name; the subject is "sub-" + the login, the email the login itself, verified unless the login
// starts with "unverified-". PKCE is required of every client.
// Clients are registered while running: one JSON line on stdin, {"provider": "main", "client": {...metadata}}, is
// answered by {"registered": client_id} on stdout. The first line on stdout is {"main": url, "other": url, "mixup": url}.
//   DOCQA_NPM_DIR=<folder holding node_modules/oidc-provider> node provider.mjs
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const require = createRequire(join(process.env.DOCQA_NPM_DIR, 'package.json'));
const { default: Provider } = await import(require.resolve('oidc-provider'));

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

function account(ctx, id) {
  const email = id.replace(/^unverified-/, '');
  return {
    accountId: id,
    async claims() {
      return { sub: `sub-${id}`, email, email_verified: !id.startsWith('unverified-') };
    },
  };
}

function provider(issuer) {
  const oidc = new Provider(issuer, {
    findAccount: account,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['docqa-test-cookie-key'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  });
  oidc.proxy = false;
  return oidc;
}

const servers = {};
const providers = {};
for (const name of ['main', 'other']) {
  let handler;
  const server = createServer((req, res) => handler(req, res));
  const issuer = await listen(server);
  providers[name] = provider(issuer);
  handler = providers[name].callback();
  servers[name] = issuer;
}

const forged = createServer(async (req, res) => {
  if (req.url !== '/.well-known/openid-configuration') {
    res.writeHead(404).end();
    return;
  }
  const metadata = await (await fetch(`${servers.other}/.well-known/openid-configuration`)).json();
  metadata.issuer = servers.mixup;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadata));
});
servers.mixup = await listen(forged);

process.stdout.write(`${JSON.stringify(servers)}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) {
    continue;
  }
  const { provider: name, client } = JSON.parse(line);
  await providers[name].Client.adapter.upsert(client.client_id, client);
  process.stdout.write(`${JSON.stringify({ registered: client.client_id })}\n`);
}
process.exit(0);
