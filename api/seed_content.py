"""What seeded content looks like, decided once for both writers of it.

`flask seed` and `make bench-growth` write it in bulk through SQLHelper (api/seeding.py);
`make bench` writes its fixed data set through the public API (bench/dataset.py). Both draw
the same plan from a `random.Random`, so a fixed seed gives the same articles either way.
"""

import random
from dataclasses import dataclass

TAG_NAMES = ("python", "flask", "mysql", "redis", "sessions", "testing", "devops", "api", "security",
             "performance", "design", "databases", "caching", "observability", "howto", "news")
WORDS = ("agile", "bright", "calm", "deep", "eager", "fast", "gentle", "honest", "keen", "lively", "modern",
         "neat", "open", "plain", "quick", "robust", "simple", "steady", "tidy", "vivid", "api", "cache",
         "cluster", "commit", "deploy", "feature", "index", "latency", "module", "pattern", "pipeline",
         "query", "release", "schema", "server", "session", "signal", "table", "thread", "worker")
WORDS_PER_SENTENCE = 10
SENTENCES_PER_PARAGRAPH = 4


@dataclass(frozen=True)
class SeedShape:
    """Counts and sizes of seeded content; ranges are inclusive (low, high)."""

    follows_per_user: int = 5
    tag_count: int = len(TAG_NAMES)
    tags_per_article: tuple[int, int] = (0, 3)
    body_words: tuple[int, int] = (40, 120)
    favorites_per_article: tuple[int, int] = (0, 5)
    comments_per_article: tuple[int, int] = (0, 3)

    def tag_names(self) -> list[str]:
        """The tag vocabulary: the demo's names, then numbered topics when more are asked for."""
        extra = [f"topic-{n}" for n in range(1, self.tag_count - len(TAG_NAMES) + 1)]
        return [*TAG_NAMES, *extra][: self.tag_count]


DEMO_SHAPE = SeedShape()
# The bench's data set: 3-5 of 40 tags, 200-word bodies, ~10 follows and ~20 favorites per user
# (50 users, 1,000 articles: one favorite per article on average) and ~2 comments per article.
BENCH_SHAPE = SeedShape(follows_per_user=10, tag_count=40, tags_per_article=(3, 5), body_words=(200, 200),
                        favorites_per_article=(0, 2), comments_per_article=(1, 3))


@dataclass(frozen=True)
class ArticlePlan:
    """One article to seed; users are indexes into the writer's list of users."""

    number: int
    title: str
    description: str
    body: str
    author: int
    tags: list[str]
    favoriters: list[int]
    comments: list[tuple[int, str]]  # (commenter, body)


def plan_follows(user_count: int, shape: SeedShape, rng: random.Random) -> list[tuple[int, int]]:
    """(follower, followee) pairs: each user follows `follows_per_user` others."""
    follows_each = min(shape.follows_per_user, user_count - 1)
    pairs: list[tuple[int, int]] = []
    for follower in range(user_count):
        picks = rng.sample(range(user_count), follows_each + 1)  # one spare, in case it holds the follower
        pairs.extend((follower, followee) for followee in [p for p in picks if p != follower][:follows_each])
    return pairs


def plan_article(number: int, user_count: int, shape: SeedShape, rng: random.Random) -> ArticlePlan:
    """Article `number` (from 1); its title carries the number, so titles and slugs never collide."""
    title = " ".join(rng.choices(WORDS, k=rng.randint(3, 6))).capitalize() + f" {number}"
    tag_names = shape.tag_names()
    low, high = shape.tags_per_article
    tags = rng.sample(tag_names, rng.randint(min(low, len(tag_names)), min(high, len(tag_names))))
    low, high = shape.favorites_per_article
    favoriters = rng.sample(range(user_count), rng.randint(min(low, user_count), min(high, user_count)))
    comments = [(rng.randrange(user_count), sentence(rng, 15))
                for _ in range(rng.randint(*shape.comments_per_article))]
    return ArticlePlan(number=number, title=title, description=sentence(rng, 12), body=body(rng, shape),
                       author=rng.randrange(user_count), tags=tags, favoriters=favoriters, comments=comments)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def body(rng: random.Random, shape: SeedShape) -> str:
    """Paragraphs of sentences, `body_words` words in all."""
    words = rng.randint(*shape.body_words)
    sentences = [sentence(rng, min(WORDS_PER_SENTENCE, words - start))
                 for start in range(0, words, WORDS_PER_SENTENCE)]
    return "\n\n".join(" ".join(sentences[start:start + SENTENCES_PER_PARAGRAPH])
                       for start in range(0, len(sentences), SENTENCES_PER_PARAGRAPH))
