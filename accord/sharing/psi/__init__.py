"""Private set intersection: common subjects without disclosing either list.

Two accord instances compare exact, normalised keys (document + issuing
state, name + birth date, name skeleton + birth date; see ``keys``) with
OpenMined's ECDH PSI (``protocol``). The serving side (``server``) answers only
partners it consents to, within probing limits (``consent``); the requesting
side (``requester``) learns which of its subjects are in common, or only how
many. Both sides audit every session.
"""

from accord.sharing.psi.consent import (
    ConsentBook,
    ConsentRole,
    ProbingLimits,
    PsiConsent,
)
from accord.sharing.psi.keys import KEY_VERSION, KeySet, KeyType, build_key_set
from accord.sharing.psi.requester import CommonSubject, PsiOutcome, PsiRequester, PsiRun
from accord.sharing.psi.server import PsiRateLimited, PsiServer, ServeConfig
from accord.sharing.psi.transport import HttpPsiTransport, PsiTransport

__all__ = [
    "KEY_VERSION",
    "CommonSubject",
    "ConsentBook",
    "ConsentRole",
    "HttpPsiTransport",
    "KeySet",
    "KeyType",
    "ProbingLimits",
    "PsiConsent",
    "PsiOutcome",
    "PsiRateLimited",
    "PsiRequester",
    "PsiRun",
    "PsiServer",
    "PsiTransport",
    "ServeConfig",
    "build_key_set",
]
