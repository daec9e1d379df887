"""The ASGI app for `uvicorn monitor.web.app:app` (and `newsmon serve --workers N`): store from NEWSMON_STORE."""
from monitor.config import load_config
from monitor.web import create_app

app = create_app(load_config())
