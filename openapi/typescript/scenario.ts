// The main flows through the typed client. Only type-checked (`make sdk`): a wrong path, field
// or parameter name fails the build, so it proves the generated types fit the API.
import { createConduitClient, type ConduitClient } from "./client";

function expectData<T>(result: { data?: T; error?: unknown }): T {
  if (result.data === undefined) {
    throw new Error(`API error: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/** Returns the slugs in the feed. */
export async function scenario(baseUrl: string): Promise<string[]> {
  const anonymous = createConduitClient(baseUrl);
  const registered = expectData(await anonymous.POST("/api/users", {
    body: { user: { username: "jake", email: "jake@jake.jake", password: "jakejake" } },
  }));
  const loggedIn = expectData(await anonymous.POST("/api/users/login", {
    body: { user: { email: registered.user.email, password: "jakejake", remember: false } },
  }));
  const jake: ConduitClient = createConduitClient(baseUrl, loggedIn.user.token);
  const me = expectData(await jake.GET("/api/user"));
  const { article } = expectData(await jake.POST("/api/articles", {
    body: { article: { title: "How to train your dragon", description: "Ever wonder how?", body: "Very carefully.", tagList: ["dragons"] } },
  }));
  await jake.GET("/api/articles", { params: { query: { tag: "dragons", author: me.user.username, limit: 10 } } });
  await jake.POST("/api/articles/{slug}/favorite", { params: { path: { slug: article.slug } } });
  await jake.POST("/api/articles/{slug}/comments", {
    params: { path: { slug: article.slug } },
    body: { comment: { body: "Thank you so much!" } },
  });
  await jake.POST("/api/profiles/{username}/follow", { params: { path: { username: "celeb" } } });
  const feed = expectData(await jake.GET("/api/articles/feed", { params: { query: { offset: 0 } } }));
  await jake.DELETE("/api/articles/{slug}/comments/{id}", { params: { path: { slug: article.slug, id: 1 } } });
  await jake.DELETE("/api/articles/{slug}", { params: { path: { slug: article.slug } } });
  const failed = await anonymous.GET("/api/user");
  if (failed.error !== undefined) {
    const messages: string[] = failed.error.errors.body;
    console.log(messages.join(" "));
  }
  return feed.articles.map((item) => item.slug);
}
