"""Sample news web: seeded outlets, articles and truth, served on loopback for crawler tests."""
from sampleweb.generator import Article, SampleWeb, TruthArticle
from sampleweb.server import SampleWebServer

__all__ = ["Article", "SampleWeb", "SampleWebServer", "TruthArticle"]
