"""Imports every area's models so that the metadata (and Alembic) sees all tables."""

from kb.accounts import models as accounts_models  # noqa: F401
from kb.alerts import alert_models  # noqa: F401
from kb.alerts import models as alerts_models  # noqa: F401
from kb.articles import models as articles_models  # noqa: F401
from kb.articles import reader_models  # noqa: F401
from kb.community import models as community_models  # noqa: F401
from kb.elite import models as elite_models  # noqa: F401
from kb.idempotency import models as idempotency_models  # noqa: F401
from kb.notifications import Notification  # noqa: F401
from kb.patches import models as patches_models  # noqa: F401
from kb.products import models as products_models  # noqa: F401
from kb.programmes import models as programmes_models  # noqa: F401
from kb.search.outbox import IndexTask  # noqa: F401
from kb.sessions import models as sessions_models  # noqa: F401
from kb.support import models as support_models  # noqa: F401
