"""The web app (monitor.web.app.create_app): the JSON API (api.py, alerts_api.py) and the search page (pages.py)."""
from monitor.web.app import CSP, create_app

__all__ = ["CSP", "create_app"]
