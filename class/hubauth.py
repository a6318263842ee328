"""The class's authenticator: NativeAuthenticator with the roster pre-authorised.

Sign-up is off. Each rostered member already has an authorised NativeAuthenticator account with
the initial password the class script generated on first start (``STATE/hub/initial-passwords.csv``,
readable by root only; hand each member their line). Members change their password at
``/hub/change-password``. Nobody off the roster can sign in (``allowed_users``).
"""

import csv
from pathlib import Path

import bcrypt
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo
from traitlets import Unicode

__all__ = ["ClassAuthenticator"]


class ClassAuthenticator(NativeAuthenticator):
    passwords_file = Unicode("", config=True,
                             help="CSV username,password of the roster's initial passwords")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._seed()

    def _seed(self):
        """Create the authorised account of every rostered member who has none yet."""
        if not self.passwords_file or not Path(self.passwords_file).exists():
            return
        with open(self.passwords_file, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            name = self.normalize_username(row["username"])
            if UserInfo.find(self.db, name) is None:
                hashed = bcrypt.hashpw(row["password"].encode(), bcrypt.gensalt())
                self.db.add(UserInfo(username=name, password=hashed, is_authorized=True))
        self.db.commit()
