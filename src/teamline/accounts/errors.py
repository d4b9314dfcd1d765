"""Errors of the accounts domain."""

from __future__ import annotations

from teamline.core.errors import Conflict, Forbidden, Unauthenticated


class InvalidCredentials(Unauthenticated):
    """Login and password do not match (which one is wrong is not said)."""

    code = "invalid-credentials"


class AccountDisabled(Forbidden):
    code = "account-disabled"


class PasswordManagedExternally(Conflict):
    """The user's password lives in the external directory (LDAP/AD), not here."""

    code = "password-managed-externally"


class LoginTaken(Conflict):
    code = "login-taken"


class ExtensionTaken(Conflict):
    code = "extension-taken"
