"""Import every module's models so that the metadata (and Alembic) sees all tables."""

from portal.accounts.models import (  # noqa: F401
    FailedLogin,
    Invitation,
    PasswordReset,
    RecoveryCode,
    SignIn,
    User,
)
from portal.commitments.proposal_models import CommitmentProposal  # noqa: F401
from portal.core.audit import AuditEvent  # noqa: F401
from portal.core.cache_generations import cache_generation  # noqa: F401
from portal.core.uploads import Attachment  # noqa: F401
from portal.countries.models import Country  # noqa: F401
from portal.followup.models import ReminderSent, UpdateRequest  # noqa: F401
from portal.frameworks.models import FrameworkTag  # noqa: F401
from portal.joint_actions.date_models import DateAnswer, DateProposal  # noqa: F401
from portal.joint_actions.models import ActionCountry, JointAction, Milestone, Party  # noqa: F401
from portal.minutes.models import ActionItem, Endorsement, Minutes, MinutesComment, MinutesRevision  # noqa: F401
from portal.organisations.models import Organisation  # noqa: F401
from portal.public.models import ContextFigure  # noqa: F401
from portal.symposia.models import AgendaItem, Symposium, SymposiumParticipant  # noqa: F401
from portal.api.models import ApiToken  # noqa: F401
# The commitments' summary rows, and the listeners that keep them in step with every write.
from portal.commitments.tallies import commitment_tag_tallies, commitment_tallies  # noqa: F401
from portal.public.progress_tallies import completion_tallies, update_day_tallies  # noqa: F401

# Which cached pages each table's writes can change (portal.core.cache_generations), declared by the modules that know.
import portal.commitments.page_scopes  # noqa: E402, F401
import portal.followup.page_scopes  # noqa: E402, F401
import portal.joint_actions.page_scopes  # noqa: E402, F401
import portal.public.page_scopes  # noqa: E402, F401
