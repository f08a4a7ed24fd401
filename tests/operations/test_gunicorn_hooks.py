"""gunicorn.conf.py's server hooks that shape how a worker runs."""

import gc
import runpy
from pathlib import Path

from gunicorn.config import KNOWN_SETTINGS

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_loaded_out_of_the_collectors_reach():
    # A full collection of a worker that froze nothing walks the app's ~73,000 objects (~70 ms,
    # docs/performance.md); frozen, they are skipped.
    settings = runpy.run_path(str(GUNICORN_CONF))
    assert "post_worker_init" in {setting.name for setting in KNOWN_SETTINGS}  # a hook gunicorn calls
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
