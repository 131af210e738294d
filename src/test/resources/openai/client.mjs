// Drives docqa's /v1 with the official `openai` npm package, as a tool built on it would, and prints one JSON object:
// {"result": ...} or, when the client throws one of its API errors, {"error": {...}}.
//   DOCQA_NPM_DIR=<folder holding node_modules/openai> OPENAI_BASE_URL=... OPENAI_API_KEY=... node client.mjs '<command>'
// command: {"op": "create" | "stream" | "models" | "model", "request": {...}}
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.env.DOCQA_NPM_DIR, 'package.json'));
const { OpenAI } = require('openai');

const { op, request } = JSON.parse(process.argv[2]);
const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0, timeout: 60_000 });

async function run() {
  switch (op) {
    case 'create':
      return client.chat.completions.create(request);
    case 'stream': {
      const chunks = [];
      for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) {
        chunks.push(chunk);
      }
      return { chunks };
    }
    case 'models':
      return { data: (await client.models.list()).data };
    case 'model':
      return client.models.retrieve(request.id);
    default:
      throw new Error(`unknown op ${op}`);
  }
}

try {
  process.stdout.write(JSON.stringify({ result: await run() }));
} catch (e) {
  if (!(e instanceof OpenAI.APIError)) {
    throw e;
  }
  process.stdout.write(JSON.stringify({
    error: { class: e.constructor.name, status: e.status ?? null, message: e.message, type: e.type ?? null,
      param: e.param ?? null, code: e.code ?? null, error: e.error ?? null },
  }));
}
