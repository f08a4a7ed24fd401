// The Conduit API client for TypeScript: openapi-fetch, typed by schema.d.ts, which
// openapi-typescript generates from openapi/openapi.json (`make sdk`).
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema";

export type User = components["schemas"]["User"];
export type Profile = components["schemas"]["Profile"];
export type Article = components["schemas"]["Article"];
export type Comment = components["schemas"]["Comment"];
export type GenericErrorModel = components["schemas"]["GenericErrorModel"];
export type ConduitClient = Client<paths>;

/** A client for the API at `baseUrl`; with a `token`, every request sends `Authorization: Token <token>`.
 * Without one, a browser on the same origin is recognised by the session cookie that login sets. */
export function createConduitClient(baseUrl: string, token?: string): ConduitClient {
  const client = createClient<paths>({ baseUrl, credentials: "include" });
  if (token !== undefined) {
    client.use({
      onRequest({ request }) {
        request.headers.set("Authorization", `Token ${token}`);
        return request;
      },
    });
  }
  return client;
}
