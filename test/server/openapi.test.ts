import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startServer, type TestServer } from '../helpers/server.js';
import { api } from './support/api.js';

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  summary?: string;
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** `/api/meetings/:id` as OpenAPI writes it: `/api/meetings/{id}`. */
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('GET /api/openapi.json', () => {
  let server: TestServer;
  let doc: OpenApi;

  beforeAll(async () => {
    server = await startServer();
    const response = await api<OpenApi>(server, 'GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    doc = response.body;
  });
  afterAll(async () => {
    await server.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator is not a rubber stamp: a document with a broken operation fails.
    const broken = structuredClone(doc) as OpenApi;
    (broken.paths['/api/me']!.get! as Record<string, unknown>).responses = 'none';
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it('lists every route registered under /api with each of its methods', () => {
    const routes = server.app.apiRoutes;
    expect(routes.length).toBeGreaterThan(25);
    const missing = routes.filter((route) => !doc.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()]);
    expect(missing).toEqual([]);
    const listed = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of ['POST /api/setup', 'POST /api/login', 'POST /api/logout', 'GET /api/me', 'POST /api/meetings', 'GET /api/meetings/{id}', 'GET /api/openapi.json']) {
      expect(listed).toContain(route);
    }
  });

  it('describes inputs and outputs from the route schemas', () => {
    const create = doc.paths['/api/meetings']!.post!;
    expect(create.requestBody).toBeDefined();
    expect(create.responses).toHaveProperty('201');
    expect(JSON.stringify(create.responses!['201'])).toContain('"doc"');
    const read = doc.paths['/api/meetings/{id}']!.get!;
    expect(read.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]));
    const list = doc.paths['/api/meetings']!.get!;
    expect(list.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['when', 'series']));
    // Every one of our operations says what it does and what it answers.
    for (const route of server.app.apiRoutes) {
      const operation = doc.paths[toOpenApiPath(route.url)]![route.method.toLowerCase()]!;
      expect(operation.responses, `${route.method} ${route.url}`).toBeDefined();
    }
  });
});
