"""Sample news web: seeded outlets, articles and truth, served on loopback for crawler tests."""
from sampleweb.articles import Article, TruthArticle
from sampleweb.generator import SampleWeb
from sampleweb.server import SampleWebServer

__all__ = ["Article", "SampleWeb", "SampleWebServer", "TruthArticle"]
