"""Token authentication for the API: `Authorization: Token <token>`, checked against the stored hash."""

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from palsdesk.accounts.models import ApiToken
from palsdesk.accounts.services import hash_token

# Writing last_used_at on every call would double the writes of a busy integration.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed("The Authorization header must be 'Token <token>', with no spaces in the token.")
        try:
            token = header[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed("The token contains characters that are not allowed.") from None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            raise AuthenticationFailed("The token is not valid, or has been revoked.")
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return (api_token.user, api_token)

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI document, so the docs page can send it."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=self.target.keyword)
