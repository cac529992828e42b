import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

# Each web process builds its agenda index and the coming weeks' rows now, in a
# background thread, rather than for its first visitors.
from events.warmup import build_in_background  # noqa: E402 (the apps are loaded above)

build_in_background()
