"""Imports every feature's models so ``metadata`` knows all tables (Alembic, tests)."""

from app.accounts import models as accounts  # noqa: F401
from app.alerts import models as alerts  # noqa: F401
from app.audit import models as audit  # noqa: F401
from app.auth import models as auth  # noqa: F401
from app.connectors import models as connectors  # noqa: F401
from app.core import jobs  # noqa: F401  (the job outbox)
from app.core.models import metadata
from app.embed import models as embed  # noqa: F401
from app.feedback import models as feedback  # noqa: F401
from app.identity import models as identity  # noqa: F401
from app.ingest import models as ingest  # noqa: F401
from app.notifications import models as notifications  # noqa: F401
from app.playbooks import models as playbooks  # noqa: F401
from app.renewals import models as renewals  # noqa: F401
from app.revenue import models as revenue  # noqa: F401
from app.saved_views import models as saved_views  # noqa: F401
from app.scoring import models as scoring  # noqa: F401
from app.support import models as support  # noqa: F401
from app.surveys import models as surveys  # noqa: F401
from app.tasks import models as tasks  # noqa: F401
from app.touchpoints import models as touchpoints  # noqa: F401
from app.usage import models as usage  # noqa: F401

__all__ = ["metadata"]
